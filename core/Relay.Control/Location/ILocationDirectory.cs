namespace Relay.Control.Location;

/// <summary>Where each session's caller is, and has been (the session API and the player read it).</summary>
public interface ILocationDirectory
{
    /// <summary>The session's newest fix, or null if it has none.</summary>
    LocationFix? GetLast(string sessionId);

    /// <summary>The session's fixes, oldest first (bounded: the newest <see cref="LocationTrail.Capacity"/>).</summary>
    IReadOnlyList<LocationFix> GetTrail(string sessionId);
}
