namespace Relay.Server.Sessions;

internal enum SessionState
{
    /// <summary>Created; the caller has not started yet.</summary>
    Waiting,

    /// <summary>The caller has started (the token was used).</summary>
    Active,

    /// <summary>Ended by an officer.</summary>
    Ended,
}
