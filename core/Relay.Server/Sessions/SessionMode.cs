namespace Relay.Server.Sessions;

/// <summary>What the caller is asked to share.</summary>
internal enum SessionMode
{
    /// <summary>Live video and location.</summary>
    Video,

    /// <summary>Location only (a missing person, a compliance check without video).</summary>
    Location,
}
