using Microsoft.Extensions.Logging.Abstractions;
using Relay.Media.Streams;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Bench.Recording;

/// <summary>
/// A recorder of one VP8 track in a directory of its own, whose writer thread is held off while
/// <see cref="Gate"/> is reset, so a benchmark decides when the writer runs. Disposing it lets the
/// writer finish and deletes the directory.
/// </summary>
internal sealed class GatedRecorder : IDisposable
{
    private readonly EvidenceSigningKey _key = EvidenceSigningKey.CreateEphemeral();

    /// <param name="root">Where the directory goes (/dev/shm for memory, the temporary directory for disk).</param>
    /// <param name="segmentMaxBytes">When a segment rolls; segments never roll by time here.</param>
    /// <param name="writerOpen">Whether the writer thread may run from the start.</param>
    public GatedRecorder(string root, string name, long segmentMaxBytes, bool writerOpen)
    {
        Directory = Path.Combine(root, "relay-bench-" + name + "-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Gate = new ManualResetEventSlim(writerOpen);
        var options = new SegmentWriterOptions { SegmentDuration = TimeSpan.FromHours(1), SegmentMaxBytes = segmentMaxBytes, HighWaterBytes = 64L * 1024 * 1024 };
        Recorder = new StreamRecorder(Directory, "bench", options, _key, new RecordingCounters(), TimeProvider.System, NullLogger.Instance);
        Recorder.Writer.StorageGateForTesting = Gate;
        Recorder.OnPublisherAttached([new PublishedTrack(MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 97, 0x11110001, 0x11110002, "0", null)], TimeProvider.System.GetTimestamp());
    }

    /// <summary>/dev/shm where there is one, else the temporary directory.</summary>
    public static string MemoryRoot => System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    public string Directory { get; }

    public ManualResetEventSlim Gate { get; }

    public StreamRecorder Recorder { get; }

    /// <summary>The folder the recording's segment files are written to.</summary>
    public string SegmentDirectory => Path.Combine(Directory, Recorder.RecordingId.ToString("D"));

    public void Dispose()
    {
        Gate.Set();
        Recorder.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _key.Dispose();
        Gate.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
