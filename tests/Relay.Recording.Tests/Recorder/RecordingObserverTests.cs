using System.Collections.Concurrent;
using System.Security.Cryptography;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Recorder;

public sealed class RecordingObserverTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_observer_hears_the_start_and_every_closed_segment_and_its_trail_hash_is_signed_into_the_manifest()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider(s_start);
        var observer = new TrailWritingObserver();
        var recorder = new StreamRecorder(directory.Path, "session-o", TestRecordings.Options(TimeSpan.FromSeconds(2)), key, new RecordingCounters(), time, new ListLogger(), observer);

        recorder.OnPublisherAttached([TestRecordings.PublishedVideo], time.GetTimestamp());
        for (ushort i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(i));
        }

        recorder.OnEnded(time.GetTimestamp());
        RecordingManifest? manifest = await recorder.Completion;

        Assert.NotNull(manifest);
        Assert.Equal(manifest.StartMicroseconds, Assert.Single(observer.Started));
        Assert.Equal(manifest.Segments.Select(static s => s.FileName), observer.Segments.Select(static s => s.FileName));
        foreach (SegmentInfo segment in observer.Segments)
        {
            Assert.Equal(segment.Sha256, SHA256.HashData(File.ReadAllBytes(Path.Combine(recorder.Directory, segment.FileName))));
        }

        (long from, long to) = Assert.Single(observer.TrailSpans);
        Assert.Equal(manifest.StartMicroseconds, from);
        Assert.Equal(manifest.EndMicroseconds, to);
        byte[] trail = File.ReadAllBytes(Path.Combine(recorder.Directory, LocationTrailFile.Name));
        Assert.Equal(LocationTrailFile.Sha256(trail), manifest.LocationTrailSha256);
        ManifestVerification verification = ManifestVerifier.Verify(recorder.Directory, key.PublicKey);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task A_trail_that_cannot_be_written_still_leaves_a_signed_manifest_without_a_trail_hash()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider(s_start);
        var recorder = new StreamRecorder(directory.Path, "session-f", TestRecordings.Options(), key, new RecordingCounters(), time, new ListLogger(), new TrailWritingObserver { Fail = true });

        recorder.OnPublisherAttached([TestRecordings.PublishedVideo], time.GetTimestamp());
        time.Advance(TimeSpan.FromMilliseconds(50));
        recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(1));
        recorder.OnEnded(time.GetTimestamp());
        RecordingManifest? manifest = await recorder.Completion;

        Assert.NotNull(manifest);
        Assert.Null(manifest.LocationTrailSha256);
        Assert.True(ManifestVerifier.Verify(recorder.Directory, key.PublicKey).IsValid);
    }

    [Fact]
    public void A_location_only_recording_has_no_tracks_and_signs_its_trail()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        LocationPoint[] points = [new(s_start, 51.5, -0.12, 5), new(s_start.AddSeconds(1), 51.501, -0.121, 6)];
        var id = Guid.CreateVersion7(s_start);

        (string path, RecordingManifest manifest) = LocationOnlyRecording.Write(directory.Path, "session-l", points, id, 1_000, 2_000, key);

        Assert.Equal(Path.Combine(directory.Path, id.ToString("D")), path);
        Assert.Empty(manifest.Tracks);
        Assert.Empty(manifest.Segments);
        byte[] trail = File.ReadAllBytes(Path.Combine(path, LocationTrailFile.Name));
        Assert.Equal(points, LocationTrailFile.Parse(trail));
        Assert.Equal(LocationTrailFile.Sha256(trail), manifest.LocationTrailSha256);
        ManifestVerification verification = ManifestVerifier.Verify(path, key.PublicKey);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
    }

    private sealed class TrailWritingObserver : IRecordingObserver
    {
        public bool Fail { get; init; }

        public ConcurrentQueue<long> Started { get; } = new();

        public ConcurrentQueue<SegmentInfo> Segments { get; } = new();

        public ConcurrentQueue<(long From, long To)> TrailSpans { get; } = new();

        public void OnStarted(StreamRecorder recorder, long startMicroseconds) => Started.Enqueue(startMicroseconds);

        public void OnSegmentClosed(StreamRecorder recorder, SegmentInfo segment) => Segments.Enqueue(segment);

        public string? WriteLocationTrail(StreamRecorder recorder, long startMicroseconds, long endMicroseconds)
        {
            TrailSpans.Enqueue((startMicroseconds, endMicroseconds));
            if (Fail)
            {
                throw new IOException("disk full");
            }

            byte[] trail = LocationTrailFile.ToBytes([new LocationPoint(s_start, 51.5, -0.12, 5)]);
            File.WriteAllBytes(Path.Combine(recorder.Directory, LocationTrailFile.Name), trail);
            return LocationTrailFile.Sha256(trail);
        }
    }
}
