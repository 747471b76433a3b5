namespace Relay.Recording.Segments;

/// <summary>
/// The one thread that writes every recording of the node: every few milliseconds it takes what each
/// <see cref="SegmentWriter"/> has appended and writes it out (each at its own
/// <see cref="SegmentWriterOptions.DrainInterval"/>).
/// </summary>
/// <remarks>
/// A thread of its own rather than a timer per recording on the thread pool: each timer tick woke a
/// pool worker, which then spun after its short work; with 10 recordings that cost the relay 3.7 µs
/// of CPU per forwarded packet in the load suite (bench/RESULTS.md), the same cost the media node's
/// timer had. One thread also means a stalled disk stalls every recording alike, which is what a
/// shared disk does anyway; each recording then drops and counts rather than block forwarding.
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
