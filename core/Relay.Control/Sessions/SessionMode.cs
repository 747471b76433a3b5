namespace Relay.Control.Sessions;

/// <summary>What the caller is asked to share.</summary>
public enum SessionMode
{
    /// <summary>Live video and location.</summary>
    Video,

    /// <summary>Location only (a missing person, a compliance check without video).</summary>
    Location,
}
