namespace Relay.Control.Location;

/// <summary>
/// The last <see cref="Capacity"/> fixes of one session, oldest first: a ring, so a caller sending
/// positions for hours holds a bounded amount of memory. Thread-safe.
/// </summary>
public sealed class LocationTrail
{
    public const int DefaultCapacity = 2_000;

    private readonly Lock _lock = new();
    private readonly LocationFix[] _fixes;
    private int _start;
    private int _count;

    public LocationTrail(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _fixes = new LocationFix[capacity];
    }

    public int Capacity => _fixes.Length;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>The newest fix, or null before the first.</summary>
    public LocationFix? Last
    {
        get
        {
            lock (_lock)
            {
                return _count == 0 ? null : _fixes[(_start + _count - 1) % _fixes.Length];
            }
        }
    }

    /// <summary>Adds a fix, dropping the oldest when full.</summary>
    public void Add(LocationFix fix)
    {
        ArgumentNullException.ThrowIfNull(fix);
        lock (_lock)
        {
            if (_count < _fixes.Length)
            {
                _fixes[(_start + _count) % _fixes.Length] = fix;
                _count++;
            }
            else
            {
                _fixes[_start] = fix;
                _start = (_start + 1) % _fixes.Length;
            }
        }
    }

    /// <summary>A copy of the fixes, oldest first.</summary>
    public IReadOnlyList<LocationFix> ToList()
    {
        lock (_lock)
        {
            var list = new LocationFix[_count];
            for (int i = 0; i < _count; i++)
            {
                list[i] = _fixes[(_start + i) % _fixes.Length];
            }

            return list;
        }
    }
}
