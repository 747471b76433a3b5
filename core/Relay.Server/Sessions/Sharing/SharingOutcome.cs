namespace Relay.Server.Sessions.Sharing;

/// <summary>What became of a request to share a session or stop sharing it.</summary>
internal enum SharingResult
{
    /// <summary>Shared, or unshared, as asked.</summary>
    Done,

    /// <summary>Nothing to do: already shared with them, or was not shared with them.</summary>
    Unchanged,

    NoSuchSession,

    /// <summary>The actor may not see the session at all.</summary>
    NotShared,

    /// <summary>The actor sees the session but may not share it (neither supervisor nor its creator).</summary>
    NotAllowed,

    /// <summary>The request is wrong (no reason, an unknown or unsuitable officer); <see cref="SharingOutcome.Message"/> says why.</summary>
    Refused,

    /// <summary>The audit log could not record it, so nothing was changed.</summary>
    NotRecorded,
}

/// <summary>A <see cref="SharingResult"/> and, for people, what it means.</summary>
internal sealed record SharingOutcome(SharingResult Result, string Message);
