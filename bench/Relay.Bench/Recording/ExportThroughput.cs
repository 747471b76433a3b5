using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Relay.Recording.Bundles;
using Relay.Recording.Export;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;
using Relay.Testing.Recording.Memory;
using Relay.Testing.Recording.Packetization;
using Relay.Testing.Recording.Recorder;

namespace Relay.Bench.Recording;

/// <summary>
/// Export throughput and peak memory of the streaming exporter (<see cref="RecordingExporter"/>) reading
/// stored segments one at a time, as the evidence bundle does: <c>Relay.Bench export [--minutes 10]
/// [--runs 3]</c>. The recording is <c>--minutes</c> of 640x480 VP8 at 30 fps and about 2 Mbit/s (a 1 s
/// libvpx clip with noise, repeated) and Opus, packetized with 1 % reordering and written through the
/// real <c>StreamRecorder</c> into 10 s segments (<see cref="ClipRecorder"/>, the clips and recorder the
/// export tests use). Throughput is the segments' bytes over the best of <c>--runs</c> timed exports to a
/// temp file; peak memory is the live heap's highest point above the start, sampled (after a full
/// collection) at every segment read and every 8 MB written, in one more run.
/// </summary>
/// <remarks>
/// A measured command, not a BenchmarkDotNet suite: making the recording takes longer than exporting
/// it and one export of 10 minutes is a second or two, so BenchmarkDotNet's pilot, warm-up and
/// iterations (each in a new process, each needing the recording) would take many minutes for nothing
/// the best of a few runs does not show, and it cannot sample the live heap inside an operation.
/// Needs ffmpeg (Debian package) to make the clips.
/// </remarks>
internal static class ExportThroughput
{
    private const string Item = "0123456789abcdef0123456789abcdef";

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        int minutes = int.Parse(Option(args, "--minutes", "10"), CultureInfo.InvariantCulture);
        int runs = int.Parse(Option(args, "--runs", "3"), CultureInfo.InvariantCulture);
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}");

        using var clips = new EncodedClips();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        string recordings = Path.Combine(clips.Directory, "bench-recordings");
        List<EncodedFrame> clip = clips.MakeVp8("640x480", 30, "2500k", 1);
        var video = new List<EncodedFrame>();
        var audio = new List<EncodedFrame>();
        for (int second = 0; second < minutes * 60; second++)
        {
            foreach (EncodedFrame frame in clip)
            {
                video.Add(frame with { Seconds = frame.Seconds + second });
            }
        }

        for (int repeat = 0; repeat * EncodedClips.Seconds < minutes * 60; repeat++)
        {
            foreach (EncodedFrame frame in clips.Opus)
            {
                audio.Add(frame with { Seconds = frame.Seconds + (repeat * EncodedClips.Seconds) });
            }
        }

        var options = new SegmentWriterOptions
        {
            SegmentDuration = TimeSpan.FromSeconds(10),
            HighWaterBytes = 1L << 32,
            DrainInterval = TimeSpan.FromMilliseconds(5),
        };
        RecordingManifest manifest = await ClipRecorder.RecordAsync(
            recordings, Item, key, null, options,
            RecordedStream.Vp8(0, video, new SendPlan { Seed = 51, ReorderRate = 0.01 }),
            RecordedStream.Opus(1, audio, new SendPlan { Seed = 52, ReorderRate = 0.01 }));
        video.Clear();
        audio.Clear();
        IRecordingObjects objects = DirectoryRecordingObjects.Under(recordings, manifest.RecordingId);
        long segmentBytes = 0;
        foreach (ManifestSegment segment in manifest.Segments)
        {
            segmentBytes += new FileInfo(Path.Combine(recordings, manifest.RecordingId.ToString("D"), segment.FileName)).Length;
        }

        Console.WriteLine($"recording: {minutes} min, {manifest.Segments.Count} segments, {segmentBytes / 1e6:F1} MB");
        double best = double.MaxValue;
        long allocated = 0;
        long written = 0;
        for (int run = 0; run < runs; run++)
        {
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            written = Export(clips.Directory, manifest, objects, null);
            double seconds = clock.Elapsed.TotalSeconds;
            best = Math.Min(best, seconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Console.WriteLine($"run {run + 1}: {seconds:F2} s, {segmentBytes / 1e6 / seconds:F0} MB/s");
        }

        var heap = new LiveHeap();
        heap.Start();
        Export(clips.Directory, manifest, new SamplingRecordingObjects(objects, heap), heap);
        Console.WriteLine(
            $"streaming: best {best:F2} s, {segmentBytes / 1e6 / best:F0} MB/s of segments, file {written / 1e6:F1} MB, " +
            $"allocated {allocated / 1e6:F0} MB per export, peak live heap {(heap.Peak - heap.Baseline) / 1e6:F1} MB above the start ({heap.Samples} samples)");
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    private static long Export(string directory, RecordingManifest manifest, IRecordingObjects objects, LiveHeap? heap)
    {
        string path = Path.Combine(directory, "bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920);
            Stream output = heap is null ? file : new SamplingStream(file, heap, 8L * 1024 * 1024);
            ExportContainer container = RecordingExporter.ChooseContainer(manifest.Tracks);
            var names = new List<string>();
            foreach (ManifestSegment segment in manifest.Segments)
            {
                names.Add(segment.FileName);
            }

            new RecordingExporter().Export(manifest.Tracks, new StoredSegmentPackets(objects, names, CancellationToken.None), output, container);
            return file.Length;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Option(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
