namespace Relay.Recording.Segments;

/// <summary>
/// The node's recording counters, summed over every recording (for the metrics). Updated with
/// interlocked adds: by the packet path for drops, by the writer tasks for what they wrote.
/// </summary>
public sealed class RecordingCounters
{
    private long _packetsRecorded;
    private long _bytesRecorded;
    private long _packetsDropped;
    private long _segmentsClosed;
    private long _stalls;
    private long _stalledRecordings;
    private long _writeErrors;
    private long _recordingsRecovered;

    /// <summary>Packets written to segment files.</summary>
    public long PacketsRecorded => Volatile.Read(ref _packetsRecorded);

    /// <summary>Bytes written to segment files (headers and records).</summary>
    public long BytesRecorded => Volatile.Read(ref _bytesRecorded);

    /// <summary>Packets dropped because storage stalled (or failed): evidence not recorded.</summary>
    public long PacketsDropped => Volatile.Read(ref _packetsDropped);

    /// <summary>Segments closed and flushed to disk.</summary>
    public long SegmentsClosed => Volatile.Read(ref _segmentsClosed);

    /// <summary>Times a recording's queue passed its high-water mark.</summary>
    public long Stalls => Volatile.Read(ref _stalls);

    /// <summary>Recordings dropping packets right now.</summary>
    public long StalledRecordings => Volatile.Read(ref _stalledRecordings);

    /// <summary>Failed writes to segment files (the packets in them count as dropped).</summary>
    public long WriteErrors => Volatile.Read(ref _writeErrors);

    /// <summary>Recordings crash recovery closed at start.</summary>
    public long RecordingsRecovered => Volatile.Read(ref _recordingsRecovered);

    internal void AddRecorded(long packets, long bytes)
    {
        Interlocked.Add(ref _packetsRecorded, packets);
        Interlocked.Add(ref _bytesRecorded, bytes);
    }

    internal void AddDropped(long packets) => Interlocked.Add(ref _packetsDropped, packets);

    internal void OnSegmentClosed() => Interlocked.Increment(ref _segmentsClosed);

    internal void OnStallStarted()
    {
        Interlocked.Increment(ref _stalls);
        Interlocked.Increment(ref _stalledRecordings);
    }

    internal void OnStallEnded() => Interlocked.Decrement(ref _stalledRecordings);

    internal void OnWriteError() => Interlocked.Increment(ref _writeErrors);

    internal void OnRecordingRecovered() => Interlocked.Increment(ref _recordingsRecovered);
}
