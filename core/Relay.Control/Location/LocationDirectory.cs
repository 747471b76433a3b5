using System.Collections.Concurrent;

namespace Relay.Control.Location;

/// <summary>Each session's <see cref="LocationTrail"/>, in this node's memory.</summary>
public sealed class LocationDirectory : ILocationDirectory
{
    private readonly ConcurrentDictionary<string, LocationTrail> _trails = new(StringComparer.Ordinal);
    private readonly int _trailCapacity;

    public LocationDirectory(int trailCapacity = LocationTrail.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trailCapacity, 1);
        _trailCapacity = trailCapacity;
    }

    public void Add(string sessionId, LocationFix fix)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        _trails.GetOrAdd(sessionId, static (_, capacity) => new LocationTrail(capacity), _trailCapacity).Add(fix);
    }

    public LocationFix? GetLast(string sessionId) =>
        _trails.TryGetValue(sessionId, out LocationTrail? trail) ? trail.Last : null;

    public IReadOnlyList<LocationFix> GetTrail(string sessionId) =>
        _trails.TryGetValue(sessionId, out LocationTrail? trail) ? trail.ToList() : [];

    /// <summary>Forgets a session's trail (when the session's data is erased).</summary>
    public void Remove(string sessionId) => _trails.TryRemove(sessionId, out _);
}
