namespace Relay.Recording.Segments;

/// <summary>When segments roll, and how much a recording may hold in memory before it drops.</summary>
public sealed class SegmentWriterOptions
{
    /// <summary>A segment is closed and the next opened once it spans this long (by packet arrival).</summary>
    public TimeSpan SegmentDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A segment is closed before it would pass this many bytes.</summary>
    public long SegmentMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes appended and not yet written out past which packets are dropped (and counted) instead of
    /// queued: storage has stalled. Appending resumes once the queue has drained below half of it.
    /// </summary>
    public long HighWaterBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>How often the writer task takes what was appended to the file (and hands it to the OS).</summary>
    public TimeSpan DrainInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How often what was drained is handed to the OS (a <c>write</c> of the file's buffer) when the
    /// 64 KiB buffer has not filled first; zero hands it over at every drain. Fewer, larger writes cost
    /// the relay less kernel time (bench/RESULTS.md); a killed process loses at most this much more
    /// (a power cut loses what was not yet fsynced at a segment's close either way).
    /// </summary>
    public TimeSpan OsFlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Disk space reserved for each new segment file up front (<c>fallocate</c>, keeping the file's
    /// length as written), so appends do not allocate blocks as they go; the unused rest is released
    /// when the segment closes. Zero reserves nothing.
    /// </summary>
    public long PreallocationBytes { get; set; } = 2L * 1024 * 1024;

    internal void Validate()
    {
        if (SegmentDuration <= TimeSpan.Zero || SegmentMaxBytes < 64 * 1024 || HighWaterBytes < 64 * 1024 || DrainInterval <= TimeSpan.Zero
            || OsFlushInterval < TimeSpan.Zero || PreallocationBytes < 0)
        {
            throw new ArgumentException("Segments need a positive duration, at least 64 KiB of size and of high-water mark, a positive drain interval, and no negative flush interval or preallocation.");
        }
    }
}
