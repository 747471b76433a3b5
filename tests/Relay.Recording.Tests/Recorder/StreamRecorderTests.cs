using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Recorder;

public sealed class StreamRecorderTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 16, 0, 0, TimeSpan.Zero);
    private static readonly long s_startMicroseconds = s_start.ToUnixTimeMilliseconds() * 1000;

    [Fact]
    public async Task A_stream_is_recorded_into_segments_under_a_signed_manifest_that_verifies()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider(s_start);
        var recorder = new StreamRecorder(directory.Path, "session-1", TestRecordings.Options(TimeSpan.FromSeconds(2)), key, new RecordingCounters(), time, new ListLogger());

        recorder.OnPublisherAttached([TestRecordings.PublishedVideo, TestRecordings.PublishedAudio], time.GetTimestamp());
        for (ushort i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            recorder.OnRtp(i % 2, time.GetTimestamp(), TestRecordings.Rtp(i));
            if (i % 25 == 0)
            {
                recorder.OnRtcp(0, time.GetTimestamp(), [0x80, 200, 0, 6]);
            }
        }

        recorder.SetLocationTrailSha256(new string('a', 64));
        recorder.OnEnded(time.GetTimestamp());
        RecordingManifest? manifest = await recorder.Completion;

        Assert.NotNull(manifest);
        Assert.Equal("session-1", manifest.SessionId);
        Assert.Equal(s_startMicroseconds, manifest.StartMicroseconds);
        Assert.Equal(s_startMicroseconds + 5_000_000, manifest.EndMicroseconds);
        Assert.Equal([TestRecordings.Video, TestRecordings.Audio], manifest.Tracks);
        Assert.Equal(3, manifest.Segments.Count);
        Assert.False(manifest.Recovered);
        Assert.Equal(new string('a', 64), manifest.LocationTrailSha256);
        Assert.Equal(key.PublicKey, manifest.SigningKey);
        Assert.False(File.Exists(Path.Combine(recorder.Directory, ManifestFiles.Open)));

        ManifestVerification verification = ManifestVerifier.Verify(recorder.Directory, key.PublicKey);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));

        var packets = manifest.Segments.SelectMany(s => SegmentReader.Open(Path.Combine(recorder.Directory, s.FileName)).ReadPackets()).ToList();
        var rtp = packets.Where(static p => p.Kind == RecordedPacketKind.Rtp).ToList();
        Assert.Equal(100, rtp.Count);
        Assert.Equal(4, packets.Count(static p => p.Kind == RecordedPacketKind.Rtcp));
        for (ushort i = 0; i < 100; i++)
        {
            Assert.Equal(s_startMicroseconds + ((i + 1) * 50_000L), rtp[i].ArrivalMicroseconds);
            Assert.Equal(i % 2, rtp[i].TrackIndex);
            Assert.True(rtp[i].Data.Span.SequenceEqual(TestRecordings.Rtp(i)));
        }
    }

    [Fact]
    public async Task A_publisher_that_reconnects_continues_the_recording_with_the_gap_recorded()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider(s_start);
        var recorder = new StreamRecorder(directory.Path, "session-2", TestRecordings.Options(), key, new RecordingCounters(), time, new ListLogger());

        recorder.OnPublisherAttached([TestRecordings.PublishedVideo], time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(1));
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.OnPublisherGone(time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(4));
        recorder.OnPublisherAttached([TestRecordings.PublishedAudio, TestRecordings.PublishedVideo], time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.OnRtp(1, time.GetTimestamp(), TestRecordings.Rtp(500, ssrc: 4444));
        recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(7, payloadType: 111, ssrc: 3333));
        time.Advance(TimeSpan.FromSeconds(1));
        recorder.OnPublisherGone(time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(30));
        recorder.OnEnded(time.GetTimestamp());
        RecordingManifest? manifest = await recorder.Completion;

        Assert.NotNull(manifest);
        RecordingGap gap = Assert.Single(manifest.Gaps);
        Assert.Equal(new RecordingGap(s_startMicroseconds + 2_000_000, s_startMicroseconds + 6_000_000, RecordingGapReason.PublisherReconnect), gap);
        Assert.Equal(s_startMicroseconds + 8_000_000, manifest.EndMicroseconds);
        Assert.Equal(2, manifest.Segments.Count);
        Assert.Equal([TestRecordings.Video, TestRecordings.Audio], manifest.Tracks);
        var second = SegmentReader.Open(Path.Combine(recorder.Directory, manifest.Segments[1].FileName)).ReadPackets().ToList();
        Assert.Equal([0, 1], second.Select(static p => (int)p.TrackIndex));
        Assert.True(ManifestVerifier.Verify(recorder.Directory).IsValid);
    }

    [Fact]
    public async Task A_stream_that_never_had_a_publisher_leaves_no_recording()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider(s_start);
        var recorder = new StreamRecorder(directory.Path, "session-3", TestRecordings.Options(), key, new RecordingCounters(), time, new ListLogger());

        recorder.OnEnded(time.GetTimestamp());

        Assert.Null(await recorder.Completion);
        Assert.False(Directory.Exists(recorder.Directory));
    }

    [Fact]
    public async Task Packets_of_a_track_index_the_publisher_does_not_have_are_ignored()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider(s_start);
        var recorder = new StreamRecorder(directory.Path, "session-4", TestRecordings.Options(), key, new RecordingCounters(), time, new ListLogger());
        recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(1));
        recorder.OnPublisherAttached([TestRecordings.PublishedVideo], time.GetTimestamp());

        recorder.OnRtp(1, time.GetTimestamp(), TestRecordings.Rtp(2));
        recorder.OnRtp(-1, time.GetTimestamp(), TestRecordings.Rtp(3));
        recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(4));
        await recorder.DisposeAsync();

        RecordingManifest? manifest = await recorder.Completion;
        Assert.Equal(1, Assert.Single(manifest!.Segments).PacketCount);
    }
}
