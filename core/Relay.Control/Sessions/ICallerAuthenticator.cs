namespace Relay.Control.Sessions;

/// <summary>Checks a caller key (from the <see cref="CallerCookie"/> or a Bearer header) against a session.</summary>
public interface ICallerAuthenticator
{
    /// <summary>The grant when <paramref name="callerKey"/> is the key minted at the session's Start and the session has not ended; otherwise null.</summary>
    ValueTask<CallerGrant?> AuthenticateAsync(string sessionId, string callerKey, CancellationToken ct);
}
