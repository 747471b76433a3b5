using Relay.Control.Sessions;
using Relay.Server.Streams;

namespace Relay.Server.Location;

/// <summary><see cref="ISessionLiveState"/> over this node's session store and stream registry.</summary>
internal sealed class SessionLiveState(ISessionStore store, StreamRegistry streams) : ISessionLiveState
{
    public async ValueTask<SessionLiveFacts?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        CallSession? session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return null;
        }

        return new SessionLiveFacts(
            session.Mode == SessionMode.Video ? "video" : "location",
            session.State == SessionState.Ended,
            streams.Describe(sessionId).Stream);
    }

    public bool RequestKeyframe(string sessionId)
    {
        RelayStream? stream = streams.Find(sessionId);
        if (stream is null)
        {
            return false;
        }

        stream.Media.RequestKeyframe();
        return true;
    }
}
