namespace Relay.Server.Location;

/// <summary>What the location hub needs to know of a session from the session store and the media.</summary>
internal interface ISessionLiveState
{
    /// <summary>Null when there is no such session.</summary>
    ValueTask<SessionLiveFacts?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Asks the session's publisher for a keyframe; false when it has no live video.</summary>
    bool RequestKeyframe(string sessionId);
}

/// <summary>A session's mode and its media's state ("none", "waiting", "live", "reconnecting", "ended") and whether it has ended.</summary>
internal sealed record SessionLiveFacts(string Mode, bool Ended, string MediaState);
