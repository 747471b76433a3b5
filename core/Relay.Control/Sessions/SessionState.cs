namespace Relay.Control.Sessions;

/// <summary>Where a session is in its life, as kept in the database.</summary>
public enum SessionState
{
    /// <summary>Created; the caller has not pressed Start yet.</summary>
    Waiting,

    /// <summary>The caller pressed Start (or a publisher with an API key began publishing).</summary>
    Live,

    /// <summary>Ended by an officer or by the caller; the caller key no longer works.</summary>
    Ended,
}
