using System.Diagnostics.CodeAnalysis;

namespace Relay.Recording.Segments;

/// <summary>
/// The one thread that writes every recording of the node: it takes what each
/// <see cref="SegmentWriter"/> has appended and writes it out, each at its own
/// <see cref="SegmentWriterOptions.DrainInterval"/>.
/// </summary>
/// <remarks>
/// <para>
/// A thread of its own rather than a timer per recording on the thread pool, whose every tick woke a
/// pool worker that then spun after its short work (the media node's timer was moved to its own
/// thread for the same reason). One thread also means a stalled disk stalls every recording alike,
/// which is what a shared disk does anyway; each recording then drops and counts rather than block
/// forwarding.
/// </para>
/// <para>
/// It wakes only when a drain is due: the drains of every recording fall on the same ticks (multiples
/// of the interval), so one wake-up serves them all, and with no recording it sleeps until one is
/// added. It used to wake every 5 ms whatever was due, and the recordings' drains, each 20 ms after
/// its own start, fell on different wake-ups: 200 wake-ups a second of a thread that had little to do
/// at most of them, measured as most of what recording cost beyond writing and hashing
/// (bench/RESULTS.md, "recording-cpu").
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "One per process (Shared), living as long as the process, like its thread.")]
internal sealed class RecordingWriterThread
{
    private readonly Lock _lock = new();
    private readonly List<SegmentWriter> _writers = [];
    private readonly AutoResetEvent _added = new(false);
    private SegmentWriter[] _snapshot = [];
    private Thread? _thread;

    public static RecordingWriterThread Shared { get; } = new();

    public void Add(SegmentWriter writer)
    {
        lock (_lock)
        {
            _writers.Add(writer);
            _snapshot = [.. _writers];
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "Relay recording writer" };
                _thread.Start();
            }
        }

        _added.Set();
    }

    private void Remove(SegmentWriter writer)
    {
        lock (_lock)
        {
            _writers.Remove(writer);
            _snapshot = [.. _writers];
        }
    }

    private void Run()
    {
        while (true)
        {
            SegmentWriter[] writers = Volatile.Read(ref _snapshot);
            if (writers.Length == 0)
            {
                _added.WaitOne();
                continue;
            }

            long now = Environment.TickCount64;
            long next = long.MaxValue;
            foreach (SegmentWriter writer in writers)
            {
                if (writer.DrainIfDue(now))
                {
                    Remove(writer);
                    next = now;
                }
                else
                {
                    next = Math.Min(next, writer.NextDrainAt);
                }
            }

            // A writer added meanwhile (its first drain is due at once) wakes the wait early.
            _added.WaitOne((int)Math.Clamp(next - now, 1, 1000));
        }
    }
}
