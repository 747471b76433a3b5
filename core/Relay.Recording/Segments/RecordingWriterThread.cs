namespace Relay.Recording.Segments;

/// <summary>
/// The one thread that writes every recording of the node: every few milliseconds it takes what each
/// <see cref="SegmentWriter"/> has appended and writes it out (each at its own
/// <see cref="SegmentWriterOptions.DrainInterval"/>).
/// </summary>
/// <remarks>
/// A thread of its own rather than a timer per recording on the thread pool, whose every tick woke a
/// pool worker that then spun after its short work (the media node's timer was moved to its own
/// thread for the same reason). In the load suite this did not measurably change what recording
/// costs (bench/RESULTS.md). One thread also means a stalled disk stalls every recording alike,
/// which is what a shared disk does anyway; each recording then drops and counts rather than block
/// forwarding.
/// </remarks>
internal sealed class RecordingWriterThread
{
    private const int PollMilliseconds = 5;

    private readonly Lock _lock = new();
    private readonly List<SegmentWriter> _writers = [];
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
            Thread.Sleep(PollMilliseconds);
            long now = Environment.TickCount64;
            SegmentWriter[] writers = Volatile.Read(ref _snapshot);
            foreach (SegmentWriter writer in writers)
            {
                if (writer.DrainIfDue(now))
                {
                    Remove(writer);
                }
            }
        }
    }
}
