using Microsoft.Extensions.Options;
using Relay.Control.Sessions;

namespace Relay.Server.Sessions;

internal sealed class CallerAccessOptionsValidator : IValidateOptions<CallerAccessOptions>
{
    public ValidateOptionsResult Validate(string? name, CallerAccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.FailedGuessLimit is < 1 or > 10_000)
        {
            failures.Add($"{CallSessionOptions.SectionName}:FailedGuessLimit is {options.FailedGuessLimit}; give 1 to 10000 failed guesses per address (10 is usual).");
        }

        if (options.FailedGuessWindow < TimeSpan.FromSeconds(1) || options.FailedGuessWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"{CallSessionOptions.SectionName}:FailedGuessWindow is {options.FailedGuessWindow}; give 00:00:01 to 1.00:00:00 (00:15:00 is usual).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
