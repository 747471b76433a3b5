using System.Net;
using Microsoft.Extensions.Options;
using Relay.Control.Sessions;

namespace Relay.Server.Auth;

/// <summary>
/// Failed sign-ins per client address (<c>Relay:Auth:FailedSignInsPerAddress</c> within
/// <c>Relay:Auth:FailedSignInWindow</c>), besides the per-account lockout: one address trying many
/// user names never locks any one account, so it is stopped here. IPv6 counts by /64.
/// </summary>
internal sealed class SignInAddressLimiter
{
    private readonly FailedGuessLimiter _failures;

    public SignInAddressLimiter(IOptions<SignInOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _failures = new FailedGuessLimiter(options.Value.FailedSignInsPerAddress, options.Value.FailedSignInWindow, time);
    }

    /// <summary>The key <paramref name="address"/> counts under (an IPv4 address, or an IPv6 /64).</summary>
    public static string ClientKey(IPAddress? address) => FailedGuessLimiter.ClientKey(address);

    /// <summary>Whether the address has used up its attempts; if so, how long until one frees up.</summary>
    public bool IsLimited(string client, out TimeSpan retryAfter) => _failures.IsLimited(client, out retryAfter);

    /// <summary>Counts a failed sign-in; true when this one used up the address's attempts (the moment to audit).</summary>
    public bool RecordFailure(string client, out TimeSpan retryAfter)
    {
        _failures.RecordFailure(client);
        return _failures.IsLimited(client, out retryAfter);
    }
}
