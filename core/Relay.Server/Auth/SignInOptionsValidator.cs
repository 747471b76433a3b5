using Microsoft.Extensions.Options;

namespace Relay.Server.Auth;

/// <summary>Checks <c>Relay:Auth</c> and <c>Relay:Users</c> at start.</summary>
internal sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>, IValidateOptions<Relay.Control.Users.UserOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Relay:Auth:IdleTimeout is {options.IdleTimeout}; give a positive time such as 01:00:00.");
        }

        if (options.MaxLifetime < options.IdleTimeout)
        {
            failures.Add($"Relay:Auth:MaxLifetime ({options.MaxLifetime}) is shorter than Relay:Auth:IdleTimeout ({options.IdleTimeout}).");
        }

        if (options.FailedSignInsPerAddress < 1)
        {
            failures.Add($"Relay:Auth:FailedSignInsPerAddress is {options.FailedSignInsPerAddress}; use 1 or more (20 is usual).");
        }

        if (options.FailedSignInWindow <= TimeSpan.Zero)
        {
            failures.Add($"Relay:Auth:FailedSignInWindow is {options.FailedSignInWindow}; give a positive time such as 00:15:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, Relay.Control.Users.UserOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxFailedSignIns < 1)
        {
            failures.Add($"Relay:Users:MaxFailedSignIns is {options.MaxFailedSignIns}; use 1 or more (5 is usual).");
        }

        if (options.LockoutDuration <= TimeSpan.Zero)
        {
            failures.Add($"Relay:Users:LockoutDuration is {options.LockoutDuration}; give a positive time such as 00:15:00.");
        }

        if (options.MinPasswordLength < 8)
        {
            failures.Add($"Relay:Users:MinPasswordLength is {options.MinPasswordLength}; use at least 8.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
