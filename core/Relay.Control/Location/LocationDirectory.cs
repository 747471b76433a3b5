using System.Collections.Concurrent;

namespace Relay.Control.Location;

/// <summary>
/// Each session's <see cref="LocationTrail"/>, in this node's memory, and (when given an
/// <see cref="ILocationFixLog"/>) every fix handed on to be kept durably as evidence.
/// </summary>
public sealed class LocationDirectory : ILocationDirectory
{
    private readonly ConcurrentDictionary<string, LocationTrail> _trails = new(StringComparer.Ordinal);
    private readonly int _trailCapacity;
    private readonly ILocationFixLog? _log;

    public LocationDirectory(int trailCapacity = LocationTrail.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trailCapacity, 1);
        _trailCapacity = trailCapacity;
    }

    /// <summary>A directory that also appends every fix to <paramref name="log"/> (the evidence trail).</summary>
    public LocationDirectory(ILocationFixLog log, int trailCapacity = LocationTrail.DefaultCapacity)
        : this(trailCapacity)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    public void Add(string sessionId, LocationFix fix)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        _trails.GetOrAdd(sessionId, static (_, capacity) => new LocationTrail(capacity), _trailCapacity).Add(fix);
        _log?.Append(sessionId, fix);
    }

    public LocationFix? GetLast(string sessionId) =>
        _trails.TryGetValue(sessionId, out LocationTrail? trail) ? trail.Last : null;

    public IReadOnlyList<LocationFix> GetTrail(string sessionId) =>
        _trails.TryGetValue(sessionId, out LocationTrail? trail) ? trail.ToList() : [];

    /// <summary>Forgets a session's trail (when the session's data is erased).</summary>
    public void Remove(string sessionId) => _trails.TryRemove(sessionId, out _);
}
