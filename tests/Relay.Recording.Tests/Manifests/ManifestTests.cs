using System.Security.Cryptography;
using System.Text;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Manifests;

public sealed class ManifestTests
{
    [Fact]
    public void The_canonical_form_reads_back_to_the_same_bytes()
    {
        var manifest = new RecordingManifest(
            Guid.Parse("0193a4f2-1234-7000-8000-00000000abcd"), "sess-é", 1_764_604_800_123_456, null,
            [TestRecordings.Video, TestRecordings.Audio],
            [new ManifestSegment(0, "000000.rseg", 1_764_604_800_123_456, 1_764_604_810_123_456, 1234, 10, new string('1', 64), new string('2', 64), true, 7)],
            [new RecordingGap(1, 2, RecordingGapReason.StorageStall, 3)],
            3, true, new string('2', 64), null, "AAAA+/==");

        byte[] canonical = ManifestJson.ToCanonicalJson(manifest);
        Assert.True(ManifestJson.TryReadCanonical(canonical, out RecordingManifest? read, out string? error), error);

        Assert.Equal(canonical, ManifestJson.ToCanonicalJson(read!));
        Assert.Equal(manifest.Segments, read!.Segments);
        Assert.Equal(manifest.Gaps, read.Gaps);
        Assert.Equal(manifest.Tracks, read.Tracks);
        Assert.Contains("\"start\":\"2025-12-01T16:00:00.123456Z\"", Encoding.UTF8.GetString(canonical), StringComparison.Ordinal);
    }

    [Fact]
    public void The_chain_links_each_segment_hash_to_the_one_before()
    {
        byte[] first = SHA256.HashData("a"u8);
        byte[] second = SHA256.HashData("b"u8);

        byte[] h1 = HashChain.Next(new byte[32], first);
        byte[] h2 = HashChain.Next(h1, second);

        Assert.Equal(SHA256.HashData([.. new byte[32], .. first]), h1);
        Assert.Equal(SHA256.HashData([.. h1, .. second]), h2);
    }

    [Fact]
    public async Task A_recording_whose_manifest_is_untouched_verifies()
    {
        using var directory = new TempDirectory();
        (string path, EvidenceSigningKey key) = await RecordAsync(directory.Path);
        using (key)
        {
            ManifestVerification verification = ManifestVerifier.Verify(path, key.PublicKey);
            Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
        }
    }

    [Fact]
    public async Task One_flipped_byte_in_a_segment_fails_verification_and_names_the_segment()
    {
        using var directory = new TempDirectory();
        (string path, EvidenceSigningKey key) = await RecordAsync(directory.Path);
        key.Dispose();
        string segment = Path.Combine(path, SegmentFormat.FileName(1));
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(segment, bytes);

        ManifestVerification verification = ManifestVerifier.Verify(path);

        Assert.False(verification.IsValid);
        Assert.Contains(verification.Problems, static p => p.StartsWith("000001.rseg: SHA-256 does not match", StringComparison.Ordinal));
        Assert.DoesNotContain(verification.Problems, static p => p.StartsWith("000000.rseg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_segment_fails_verification()
    {
        using var directory = new TempDirectory();
        (string path, EvidenceSigningKey key) = await RecordAsync(directory.Path);
        key.Dispose();
        File.Delete(Path.Combine(path, SegmentFormat.FileName(0)));

        ManifestVerification verification = ManifestVerifier.Verify(path);

        Assert.Contains("000000.rseg: missing", verification.Problems);
    }

    [Fact]
    public async Task An_altered_manifest_fails_its_signature()
    {
        using var directory = new TempDirectory();
        (string path, EvidenceSigningKey key) = await RecordAsync(directory.Path);
        key.Dispose();
        string manifestPath = Path.Combine(path, ManifestFiles.Signed);
        string text = File.ReadAllText(manifestPath);
        File.WriteAllText(manifestPath, text.Replace("\"sessionId\":\"s\"", "\"sessionId\":\"t\"", StringComparison.Ordinal));

        ManifestVerification verification = ManifestVerifier.Verify(path);

        Assert.Contains(verification.Problems, static p => p.Contains("signature does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_manifest_signed_by_another_key_is_not_trusted()
    {
        using var directory = new TempDirectory();
        (string path, EvidenceSigningKey key) = await RecordAsync(directory.Path);
        key.Dispose();
        using EvidenceSigningKey other = EvidenceSigningKey.CreateEphemeral();

        Assert.Contains(ManifestVerifier.Verify(path, other.PublicKey).Problems, static p => p.Contains("not the trusted one", StringComparison.Ordinal));
    }

    [Fact]
    public void Garbage_instead_of_a_manifest_is_reported()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(Path.Combine(directory.Path, ManifestFiles.Signed), "{\"manifest\":{\"format\":1},\"signature\":{\"value\":\"!!\"}}");

        ManifestVerification verification = ManifestVerifier.Verify(directory.Path);

        Assert.False(verification.IsValid);
        Assert.Null(verification.Manifest);
    }

    [Fact]
    public void The_evidence_key_is_made_once_kept_private_and_loaded_again()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "keys", "evidence.pem");

        using EvidenceSigningKey first = EvidenceSigningKey.LoadOrCreate(path);
        using EvidenceSigningKey second = EvidenceSigningKey.LoadOrCreate(path);

        Assert.Equal(first.PublicKey, second.PublicKey);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        byte[] signature = first.Sign("x"u8);
        Assert.True(EvidenceSigningKey.Verify(second.PublicKey, "x"u8, signature));
        Assert.False(EvidenceSigningKey.Verify(second.PublicKey, "y"u8, signature));
    }

    private static async Task<(string Path, EvidenceSigningKey Key)> RecordAsync(string directory)
    {
        EvidenceSigningKey key = EvidenceSigningKey.CreateEphemeral();
        var time = new ManualTimeProvider();
        var recorder = new StreamRecorder(directory, "s", TestRecordings.Options(TimeSpan.FromSeconds(1)), key, new RecordingCounters(), time, new ListLogger());
        recorder.OnPublisherAttached([TestRecordings.PublishedVideo], time.GetTimestamp());
        for (ushort i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            recorder.OnRtp(0, time.GetTimestamp(), TestRecordings.Rtp(i));
        }

        recorder.OnEnded(time.GetTimestamp());
        Assert.Equal(3, (await recorder.Completion)!.Segments.Count);
        return (recorder.Directory, key);
    }
}
