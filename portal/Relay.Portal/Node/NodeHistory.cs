namespace Relay.Portal.Node;

/// <summary>
/// The last <see cref="Capacity"/> samples of this node in a ring allocated once: adding a sample replaces the
/// oldest and allocates nothing, so the history never grows. Each sample's rates come from the cumulative
/// counters of its reading and the reading before. Thread-safe: the sampler adds while pages read.
/// </summary>
public sealed class NodeHistory
{
    /// <summary>An hour at one sample every 10 seconds.</summary>
    public const int DefaultCapacity = 360;

    private readonly NodeSample[] _ring;
    private readonly int _processorCount;
    private readonly Lock _gate = new();
    private NodeReading? _last;
    private int _next;
    private int _count;

    public NodeHistory(int capacity = DefaultCapacity, int processorCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new NodeSample[capacity];
        _processorCount = processorCount > 0 ? processorCount : Environment.ProcessorCount;
    }

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Adds the sample for <paramref name="reading"/>. The first reading has no rates (zero); a reading no later
    /// than the one before is ignored (the clock went back), as the rates over it would mean nothing.
    /// </summary>
    public void Add(NodeReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        lock (_gate)
        {
            NodeSample sample;
            if (_last is { } last)
            {
                double seconds = (reading.At - last.At).TotalSeconds;
                if (seconds <= 0)
                {
                    return;
                }

                // Worked out here rather than through NodeRates (a class) so that adding allocates nothing.
                sample = new NodeSample(
                    reading.At,
                    reading.Streams,
                    reading.Viewers,
                    PerSecond(last.RtpPacketsIn, reading.RtpPacketsIn, seconds),
                    PerSecond(last.RtpPacketsOut, reading.RtpPacketsOut, seconds),
                    PerSecond(last.NacksReceived, reading.NacksReceived, seconds),
                    Math.Max(0, (reading.CpuTime - last.CpuTime).TotalSeconds / seconds / _processorCount * 100),
                    reading.WorkingSetBytes,
                    PerSecond(last.PacketsDropped, reading.PacketsDropped, seconds));
            }
            else
            {
                sample = new NodeSample(reading.At, reading.Streams, reading.Viewers, 0, 0, 0, 0, reading.WorkingSetBytes);
            }

            _last = reading;
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    // A counter that went backwards means the node restarted: no rate rather than a negative one.
    private static double PerSecond(long earlier, long later, double seconds) => Math.Max(0, later - earlier) / seconds;

    /// <summary>The samples kept, oldest first.</summary>
    public NodeSample[] Snapshot()
    {
        lock (_gate)
        {
            var copy = new NodeSample[_count];
            int start = _count < _ring.Length ? 0 : _next;
            for (int i = 0; i < _count; i++)
            {
                copy[i] = _ring[(start + i) % _ring.Length];
            }

            return copy;
        }
    }
}
