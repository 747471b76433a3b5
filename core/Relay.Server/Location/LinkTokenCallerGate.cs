using Relay.Server.Sessions;

namespace Relay.Server.Location;

/// <summary>Until caller keys exist: the session's link token, unexpired and the session open.</summary>
internal sealed class LinkTokenCallerGate(ISessionStore store, TimeProvider time) : ICallerGate
{
    public async ValueTask<bool> AllowsAsync(string sessionId, string credential, CancellationToken cancellationToken)
    {
        CallSession? session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return session is not null
            && session.State != SessionState.Ended
            && CallerToken.Matches(credential, session.CallerTokenHash)
            && time.GetUtcNow() < session.CallerTokenExpiresAt;
    }
}
