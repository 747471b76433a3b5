using System.IO.Compression;
using System.Text;
using Relay.Recording.Bundles;
using Relay.Recording.Manifests;
using Relay.Recording.Tests.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Bundles;

[Collection(EncodedClipsGroup.Name)]
public sealed class EvidenceBundleTests(EncodedClips clips)
{
    private const string Item = "0123456789abcdef0123456789abcdef";

    private static readonly SemaphoreSlim s_lock = new(1, 1);
    private static Made? s_made;

    [Fact]
    public async Task A_bundle_of_real_recordings_verifies_and_lists_every_file_with_its_hash()
    {
        Made made = await MakeAsync();

        BundleVerification verification = Verify(made.Zip);

        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        Assert.Equal(made.Key.PublicKey, verification.SigningKey);
        Assert.Equal(2, verification.RecordingsChecked);
        List<(string Name, byte[] Bytes)> entries = BundleRecordings.Entries(made.Zip);
        Assert.Equal(entries.Count - 1, verification.FilesChecked);
        string vp8 = BundleNames.RecordingFolder(Item, made.Vp8.RecordingId);
        string h264 = BundleNames.RecordingFolder(Item, made.H264.RecordingId);
        string[] names = [.. entries.Select(e => e.Name)];
        Assert.Contains(BundleNames.Readme, names);
        Assert.Contains(BundleNames.BundleJson, names);
        Assert.Contains(BundleNames.ItemFolder(Item) + "audit.json", names);
        Assert.Contains(vp8 + "manifest.json", names);
        Assert.Contains(vp8 + "recording.webm", names);
        Assert.Contains(vp8 + "location.jsonl", names);
        Assert.Contains(vp8 + "location.gpx", names);
        Assert.Contains(h264 + "recording.mp4", names);
        Assert.All(made.Vp8.Segments, s => Assert.Contains(vp8 + s.FileName, names));
        Assert.All(made.H264.Segments, s => Assert.Contains(h264 + s.FileName, names));
        string readme = Encoding.UTF8.GetString(entries.Single(e => e.Name == BundleNames.Readme).Bytes);
        Assert.Contains(made.Key.PublicKey, readme, StringComparison.Ordinal);
        Assert.Contains("Relay.Server verify", readme, StringComparison.Ordinal);
        Assert.Contains("caller's connection dropped", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ffprobe_reads_every_playable_file_in_the_bundle_with_every_frame_and_the_right_duration_gap_included()
    {
        Made made = await MakeAsync();
        List<(string Name, byte[] Bytes)> entries = BundleRecordings.Entries(made.Zip);
        string webm = Extract(entries, BundleNames.RecordingFolder(Item, made.Vp8.RecordingId) + "recording.webm");
        string mp4 = Extract(entries, BundleNames.RecordingFolder(Item, made.H264.RecordingId) + "recording.mp4");

        ProbeResult vp8 = Ffmpeg.Probe(webm);
        Ffmpeg.DecodeCleanly(webm);
        ProbeResult h264 = Ffmpeg.Probe(mp4);
        Ffmpeg.DecodeCleanly(mp4);

        Assert.Contains("webm", vp8.FormatName, StringComparison.Ordinal);
        Assert.Equal("vp8", vp8.Stream("video").CodecName);
        Assert.Equal(made.Vp8Video.FramesSent, vp8.Stream("video").Frames);
        Assert.Equal("opus", vp8.Stream("audio").CodecName);
        Assert.Equal(made.Vp8Audio.FramesSent, vp8.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds + 2.0, vp8.Duration, 0.07);
        Assert.Single(made.Vp8.Gaps);
        Assert.Contains("mp4", h264.FormatName, StringComparison.Ordinal);
        Assert.Equal("h264", h264.Stream("video").CodecName);
        Assert.Equal(made.H264Video.FramesSent, h264.Stream("video").Frames);
        Assert.Equal(made.H264Audio.FramesSent, h264.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds, h264.Duration, 0.07);
    }

    [Fact]
    public async Task One_flipped_byte_in_a_stored_segment_fails_and_names_the_segment()
    {
        Made made = await MakeAsync();
        string segment = "";

        BundleVerification verification = Verify(BundleRecordings.Tamper(made.Zip, e => segment = BundleRecordings.FlipByte(e, made.Vp8.Segments[1].FileName)));

        Assert.False(verification.IsValid);
        Assert.Contains(new BundleProblem(segment, "SHA-256 does not match bundle.json (the file was altered)"), verification.Problems);
        Assert.Contains(new BundleProblem(segment, "SHA-256 does not match the manifest (the file was altered)"), verification.Problems);
        Assert.All(verification.Problems, p => Assert.Equal(segment, p.File));
    }

    [Fact]
    public async Task A_deleted_segment_fails_and_is_named_as_missing()
    {
        Made made = await MakeAsync();
        string segment = BundleNames.RecordingFolder(Item, made.H264.RecordingId) + made.H264.Segments[0].FileName;

        BundleVerification verification = Verify(BundleRecordings.Tamper(made.Zip, e => e.RemoveAll(x => x.Name == segment)));

        Assert.Contains(new BundleProblem(segment, "listed in bundle.json but missing from the archive"), verification.Problems);
        Assert.Contains(new BundleProblem(segment, "missing"), verification.Problems);
    }

    [Fact]
    public async Task An_altered_bundle_json_fails_its_signature()
    {
        Made made = await MakeAsync();

        BundleVerification verification = Verify(BundleRecordings.Tamper(made.Zip, e =>
        {
            int i = e.FindIndex(x => x.Name == BundleNames.BundleJson);
            e[i] = (e[i].Name, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e[i].Bytes).Replace("\"createdBy\":\"tester\"", "\"createdBy\":\"someone\"", StringComparison.Ordinal)));
        }));

        BundleProblem problem = Assert.Single(verification.Problems);
        Assert.Equal(BundleNames.BundleJson, problem.File);
        Assert.Contains("signature does not match", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_manifest_location_trail_or_playable_file_is_each_named()
    {
        Made made = await MakeAsync();
        string folder = BundleNames.RecordingFolder(Item, made.Vp8.RecordingId);

        BundleVerification manifest = Verify(BundleRecordings.Tamper(made.Zip, e =>
        {
            int i = e.FindIndex(x => x.Name == folder + ManifestFiles.Signed);
            e[i] = (e[i].Name, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e[i].Bytes).Replace("\"sessionId\":\"" + Item, "\"sessionId\":\"X" + Item[1..], StringComparison.Ordinal)));
        }));
        BundleVerification trail = Verify(BundleRecordings.Tamper(made.Zip, e => BundleRecordings.FlipByte(e, folder + "location.jsonl")));
        BundleVerification playable = Verify(BundleRecordings.Tamper(made.Zip, e => BundleRecordings.FlipByte(e, folder + "recording.webm")));

        Assert.Contains(manifest.Problems, p => p.File == folder + "manifest.json" && p.Reason.Contains("bundle.json", StringComparison.Ordinal));
        Assert.Contains(manifest.Problems, p => p.File == folder + "manifest.json" && p.Reason.Contains("signature does not match", StringComparison.Ordinal));
        Assert.Contains(new BundleProblem(folder + "location.jsonl", "SHA-256 does not match bundle.json (the file was altered)"), trail.Problems);
        Assert.Contains(trail.Problems, p => p.File == folder + "location.jsonl" && p.Reason.Contains("locationTrailSha256", StringComparison.Ordinal));
        Assert.Equal([new BundleProblem(folder + "recording.webm", "SHA-256 does not match bundle.json (the file was altered)")], playable.Problems);
    }

    [Fact]
    public async Task A_file_added_after_the_bundle_was_made_is_named_as_unlisted()
    {
        Made made = await MakeAsync();

        BundleVerification verification = Verify(BundleRecordings.Tamper(made.Zip, e => e.Add(("items/extra.txt", "x"u8.ToArray()))));

        Assert.Equal([new BundleProblem("items/extra.txt", "in the archive but not listed in bundle.json (added after the bundle was made)")], verification.Problems);
    }

    [Fact]
    public async Task Zip_slip_paths_and_duplicate_names_are_refused_with_their_names()
    {
        Made made = await MakeAsync();
        string segment = BundleNames.RecordingFolder(Item, made.Vp8.RecordingId) + made.Vp8.Segments[0].FileName;

        BundleVerification verification = Verify(BundleRecordings.Tamper(made.Zip, e =>
        {
            e.Add(("../../etc/evil", "x"u8.ToArray()));
            e.Add(("/abs/path", "x"u8.ToArray()));
            e.Add(("items\\win", "x"u8.ToArray()));
            e.Add((segment, "other bytes"u8.ToArray()));
        }));

        Assert.Contains(verification.Problems, p => p.File == "../../etc/evil" && p.Reason.StartsWith("refused", StringComparison.Ordinal));
        Assert.Contains(verification.Problems, p => p.File == "/abs/path" && p.Reason.StartsWith("refused", StringComparison.Ordinal));
        Assert.Contains(verification.Problems, p => p.File == "items\\win" && p.Reason.StartsWith("refused", StringComparison.Ordinal));
        Assert.Contains(verification.Problems, p => p.File == segment && p.Reason.Contains("more than once", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "..", "..", "etc", "evil")));
    }

    [Fact]
    public async Task A_missing_or_garbage_bundle_json_is_reported_and_the_recordings_are_still_checked()
    {
        Made made = await MakeAsync();

        BundleVerification missing = Verify(BundleRecordings.Tamper(made.Zip, e => e.RemoveAll(x => x.Name == BundleNames.BundleJson)));
        BundleVerification garbage = Verify(BundleRecordings.Tamper(made.Zip, e =>
        {
            int i = e.FindIndex(x => x.Name == BundleNames.BundleJson);
            e[i] = (e[i].Name, "{\"bundle\": [1, 2,"u8.ToArray());
        }));

        Assert.Contains(missing.Problems, p => p.File == BundleNames.BundleJson && p.Reason.StartsWith("missing", StringComparison.Ordinal));
        Assert.Equal(2, missing.RecordingsChecked);
        Assert.Contains(garbage.Problems, p => p.File == BundleNames.BundleJson && p.Reason.StartsWith("unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public void Not_a_zip_is_reported_not_thrown()
    {
        Assert.Contains(Verify("this is not a zip at all"u8.ToArray()).Problems, p => p.File == BundleProblem.Archive && p.Reason.StartsWith("not a readable zip", StringComparison.Ordinal));
        Assert.Contains(Verify([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).Problems, p => p.File == BundleProblem.Archive);
        Assert.False(Verify(BundleRecordings.Zip([])).IsValid);
    }

    [Fact]
    public async Task Entries_larger_than_the_limit_are_refused_unread()
    {
        Made made = await MakeAsync();
        byte[] zip = BundleRecordings.Tamper(made.Zip, e => e.Add(("items/big.bin", new byte[200_000])));

        BundleVerification verification = Verify(zip, new BundleVerifierOptions { MaxEntryBytes = 100_000 });

        Assert.Contains(verification.Problems, p => p.File == "items/big.bin" && p.Reason.Contains("larger than", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bundle_signed_by_another_key_is_not_trusted_when_a_key_is_given()
    {
        Made made = await MakeAsync();
        using EvidenceSigningKey other = EvidenceSigningKey.CreateEphemeral();

        BundleVerification verification = Verify(made.Zip, new BundleVerifierOptions { TrustedPublicKey = other.PublicKey });

        Assert.Contains(verification.Problems, p => p.File == BundleNames.BundleJson && p.Reason.Contains("not the trusted one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hostile_truncation_of_the_bundle_never_throws()
    {
        Made made = await MakeAsync();
        foreach (int length in new[] { 0, 1, 22, made.Zip.Length / 3, made.Zip.Length / 2, made.Zip.Length - 1 })
        {
            Assert.False(Verify(made.Zip.AsSpan(0, length).ToArray()).IsValid);
        }
    }

    private static BundleVerification Verify(byte[] zip, BundleVerifierOptions? options = null) =>
        EvidenceBundleVerifier.Verify(new MemoryStream(zip), options);

    private string Extract(List<(string Name, byte[] Bytes)> entries, string name)
    {
        string path = Path.Combine(clips.Directory, "bundle-" + Guid.NewGuid().ToString("N") + Path.GetExtension(name));
        File.WriteAllBytes(path, entries.Single(e => e.Name == name).Bytes);
        return path;
    }

    private async Task<Made> MakeAsync()
    {
        await s_lock.WaitAsync();
        try
        {
            return s_made ??= await BuildAsync();
        }
        finally
        {
            s_lock.Release();
        }
    }

    private async Task<Made> BuildAsync()
    {
        string recordings = Path.Combine(clips.Directory, "bundle-recordings");
        Directory.CreateDirectory(recordings);
        var key = EvidenceSigningKey.CreateEphemeral();

        int reconnect = EncodedClips.FirstKeyframeFrom(clips.Vp8, 2 * EncodedClips.FramesPerSecond);
        RecordedStream vp8Video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 21, ReconnectAtFrame = reconnect });
        int audioReconnect = (int)Math.Round(clips.Vp8[reconnect].Seconds / 0.020);
        RecordedStream vp8Audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 22, ReconnectAtFrame = audioReconnect });
        RecordingManifest vp8 = await BundleRecordings.RecordAsync(recordings, Item, key, BundleRecordings.Trail(new SendPlan().StartMicroseconds), vp8Video, vp8Audio);

        RecordedStream h264Video = RecordedStream.H264(0, clips.H264, new SendPlan { Seed = 23 });
        RecordedStream h264Audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 24 });
        RecordingManifest h264 = await BundleRecordings.RecordAsync(recordings, Item, key, null, h264Video, h264Audio);

        var bundle = new EvidenceBundle(EvidenceBundle.ExportPurpose, "tester", DateTimeOffset.UnixEpoch.AddDays(20_000), "CPS", [
            new BundleItem(Item, "incident 42", [new BundleDocument("audit.json", "[]"u8.ToArray(), "audit entries")], [
                DirectoryRecordingObjects.Under(recordings, vp8.RecordingId),
                DirectoryRecordingObjects.Under(recordings, h264.RecordingId),
            ]),
        ]);
        using var output = new MemoryStream();
        BundleSummary summary = await new EvidenceBundleWriter(key).WriteAsync(bundle, output);
        Assert.Empty(summary.Notes);
        return new Made(output.ToArray(), key, vp8, h264, vp8Video, vp8Audio, h264Video, h264Audio);
    }

    private sealed record Made(
        byte[] Zip, EvidenceSigningKey Key, RecordingManifest Vp8, RecordingManifest H264,
        RecordedStream Vp8Video, RecordedStream Vp8Audio, RecordedStream H264Video, RecordedStream H264Audio);
}
