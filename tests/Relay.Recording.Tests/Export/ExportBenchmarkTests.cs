using System.Diagnostics;
using System.Globalization;
using Relay.Recording.Bundles;
using Relay.Recording.Export;
using Relay.Recording.Manifests;
using Relay.Recording.Tests.Bundles;
using Relay.Recording.Tests.Packetization;
using Xunit.Abstractions;

namespace Relay.Recording.Tests.Export;

/// <summary>
/// Export throughput and peak memory of the streaming exporter reading stored segments one at a time,
/// on RELAY_EXPORT_BENCH_MINUTES (10 by
/// default) of 640x480 VP8 at about 2 Mbit/s and Opus, in 10 s segments. Throughput is the segments'
/// bytes over the best of three timed runs; peak memory is the live heap's highest point above the
/// start, sampled (after a full collection) at every segment read and every 8 MB written, in a
/// separate run. (The in-memory exporter it replaced was measured beside it once, before it was removed
/// from the tests; those figures are in bench/RESULTS.md.) Run with
/// <c>RELAY_EXPORT_BENCH=1 dotnet test tests/Relay.Recording.Tests -c Release --filter FullyQualifiedName~ExportBenchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(ExportMemoryGroup.Name)]
public sealed class ExportBenchmarkTests(EncodedClips clips, ITestOutputHelper output) : IClassFixture<EncodedClips>
{
    private const string Item = "0123456789abcdef0123456789abcdef";

    [BenchmarkFact]
    public async Task Export_throughput_and_peak_memory_of_the_streaming_exporter()
    {
        int minutes = int.Parse(Environment.GetEnvironmentVariable("RELAY_EXPORT_BENCH_MINUTES") ?? "10", CultureInfo.InvariantCulture);
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        string recordings = Path.Combine(clips.Directory, "bench-recordings");
        List<EncodedFrame> clip = clips.MakeVp8("640x480", 30, "2500k", 1);
        var video = new List<EncodedFrame>();
        var audio = new List<EncodedFrame>();
        for (int second = 0; second < minutes * 60; second++)
        {
            video.AddRange(clip.Select(f => f with { Seconds = f.Seconds + second }));
        }

        for (int repeat = 0; repeat * EncodedClips.Seconds < minutes * 60; repeat++)
        {
            audio.AddRange(clips.Opus.Select(f => f with { Seconds = f.Seconds + (repeat * EncodedClips.Seconds) }));
        }

        RecordingManifest manifest = await BundleRecordings.RecordAsync(
            recordings, Item, key, null, TestRecordings.Options(highWater: 1L << 32),
            RecordedStream.Vp8(0, video, new SendPlan { Seed = 51, ReorderRate = 0.01 }),
            RecordedStream.Opus(1, audio, new SendPlan { Seed = 52, ReorderRate = 0.01 }));
        video.Clear();
        audio.Clear();
        await Task.Yield();
        IRecordingObjects objects = DirectoryRecordingObjects.Under(recordings, manifest.RecordingId);
        long segmentBytes = 0;
        foreach (ManifestSegment segment in manifest.Segments)
        {
            segmentBytes += new FileInfo(Path.Combine(recordings, manifest.RecordingId.ToString("D"), segment.FileName)).Length;
        }

        output.WriteLine($"recording: {minutes} min, {manifest.Segments.Count} segments, {segmentBytes / 1e6:F1} MB");
        double best = double.MaxValue;
        long allocated = 0;
        long written = 0;
        for (int run = 0; run < 3; run++)
        {
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            written = Export(manifest, objects, null);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }

        var heap = new LiveHeap();
        heap.Start();
        Export(manifest, new SamplingRecordingObjects(objects, heap), heap);
        output.WriteLine(
            $"streaming: {best:F2} s, {segmentBytes / 1e6 / best:F0} MB/s of segments, file {written / 1e6:F1} MB, " +
            $"allocated {allocated / 1e6:F0} MB, peak live heap {(heap.Peak - heap.Baseline) / 1e6:F1} MB above the start ({heap.Samples} samples)");
    }

    private long Export(RecordingManifest manifest, IRecordingObjects objects, LiveHeap? heap)
    {
        string path = Path.Combine(clips.Directory, "bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920);
            Stream output = heap is null ? file : new SamplingStream(file, heap, 8L * 1024 * 1024);
            ExportContainer container = RecordingExporter.ChooseContainer(manifest.Tracks);
            var names = manifest.Segments.Select(s => s.FileName).ToList();
            new RecordingExporter().Export(manifest.Tracks, new StoredSegmentPackets(objects, names, CancellationToken.None), output, container);
            return file.Length;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
