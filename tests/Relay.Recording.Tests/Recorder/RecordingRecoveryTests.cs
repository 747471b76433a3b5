using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Recorder;

public sealed class RecordingRecoveryTests
{
    [Fact]
    public async Task An_open_recording_with_a_torn_segment_is_cut_at_its_last_whole_packet_flagged_and_signed()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        (string path, RecordingManifest whole) = await RecordAsync(directory.Path, key);

        // As a killed node leaves it: the journal lists the closed segments, the open one is torn mid-packet.
        File.Delete(Path.Combine(path, ManifestFiles.Signed));
        ManifestFiles.WriteOpen(path, whole with { Segments = [.. whole.Segments.Take(2)], EndMicroseconds = null, SigningKey = null, ChainHash = whole.Segments[1].ChainHash });
        string torn = Path.Combine(path, whole.Segments[2].FileName);
        byte[] bytes = File.ReadAllBytes(torn);
        File.WriteAllBytes(torn, bytes.AsSpan(0, bytes.Length - SegmentFormat.CloseRecordLength - 100).ToArray());
        var counters = new RecordingCounters();

        RecordingManifest recovered = Assert.Single(RecordingRecovery.RecoverAll(directory.Path, key, counters, new ListLogger()));

        Assert.True(recovered.Recovered);
        Assert.Equal(1, counters.RecordingsRecovered);
        Assert.Equal(whole.Segments.Take(2), recovered.Segments.Take(2));
        ManifestSegment last = recovered.Segments[2];
        Assert.True(last.Recovered);
        Assert.Equal(whole.Segments[2].PacketCount - 1, last.PacketCount);
        Assert.Equal(12 + 1012 - 100, last.DiscardedBytes);
        Assert.Equal(last.EndMicroseconds, recovered.EndMicroseconds);
        Assert.False(File.Exists(Path.Combine(path, ManifestFiles.Open)));
        ManifestVerification verification = ManifestVerifier.Verify(path, key.PublicKey);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));

        var packets = recovered.Segments.SelectMany(s => SegmentReader.Open(Path.Combine(path, s.FileName)).ReadPackets()).ToList();
        Assert.Equal(29, packets.Count);
        for (ushort i = 0; i < packets.Count; i++)
        {
            Assert.True(packets[i].Data.Span.SequenceEqual(TestRecordings.Rtp(i)));
        }
    }

    [Fact]
    public async Task Closed_recordings_are_left_alone()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        (string path, _) = await RecordAsync(directory.Path, key);
        byte[] before = File.ReadAllBytes(Path.Combine(path, ManifestFiles.Signed));

        Assert.Empty(RecordingRecovery.RecoverAll(directory.Path, key, new RecordingCounters(), new ListLogger()));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(path, ManifestFiles.Signed)));
    }

    [Fact]
    public async Task Without_a_journal_the_manifest_is_rebuilt_from_the_segments()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        (string path, RecordingManifest whole) = await RecordAsync(directory.Path, key);
        File.Delete(Path.Combine(path, ManifestFiles.Signed));

        RecordingManifest recovered = Assert.Single(RecordingRecovery.RecoverAll(directory.Path, key, new RecordingCounters(), new ListLogger()));

        Assert.Equal(whole.RecordingId, recovered.RecordingId);
        Assert.Equal("unknown", recovered.SessionId);
        Assert.Equal(whole.ChainHash, recovered.ChainHash);
        Assert.All(recovered.Segments, static s => Assert.False(s.Recovered));
        Assert.True(ManifestVerifier.Verify(path).IsValid);
    }

    [Fact]
    public async Task A_segment_with_no_usable_header_is_left_as_it_is_and_the_rest_recovered()
    {
        using var directory = new TempDirectory();
        using EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        (string path, RecordingManifest whole) = await RecordAsync(directory.Path, key);
        File.Delete(Path.Combine(path, ManifestFiles.Signed));
        ManifestFiles.WriteOpen(path, whole with { Segments = [.. whole.Segments.Take(2)], EndMicroseconds = null, SigningKey = null, ChainHash = whole.Segments[1].ChainHash });
        File.WriteAllBytes(Path.Combine(path, whole.Segments[2].FileName), "RELAY"u8.ToArray());
        var logger = new ListLogger();

        RecordingManifest recovered = Assert.Single(RecordingRecovery.RecoverAll(directory.Path, key, new RecordingCounters(), logger));

        Assert.Equal(2, recovered.Segments.Count);
        Assert.Contains(logger.Entries, static e => e.EventId == 123);
        Assert.Equal(5, new FileInfo(Path.Combine(path, whole.Segments[2].FileName)).Length);
    }

    private static async Task<(string Path, RecordingManifest Manifest)> RecordAsync(string directory, EvidenceSigningKey key)
    {
        var time = new ManualTimeProvider();
        var recorder = new StreamRecorder(directory, "s", TestRecordings.Options(TimeSpan.FromSeconds(1)), key, new RecordingCounters(), time, new ListLogger());
        recorder.OnPublisherAttached([TestRecordings.PublishedVideo], time.GetTimestamp());
        for (ushort i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(i));
        }

        recorder.OnEnded(time.GetTimestamp());
        RecordingManifest manifest = (await recorder.Completion)!;
        Assert.Equal(3, manifest.Segments.Count);
        return (recorder.Directory, manifest);
    }
}
