using System.IO.Compression;
using Relay.Recording.Bundles;
using Relay.Recording.Manifests;
using Relay.Server.Evidence.Export;

namespace Relay.Server.Tests.Evidence.Export;

public sealed class BundleVerifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-verify-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_intact_bundle_exits_0_and_says_so_with_the_key()
    {
        (string path, EvidenceSigningKey key) = await BundleAsync();
        using (key)
        {
            (int code, string output, _) = Run("verify", path);

            Assert.Equal(0, code);
            Assert.Contains("is intact", output, StringComparison.Ordinal);
            Assert.Contains(key.PublicKey, output, StringComparison.Ordinal);
            Assert.Equal(0, Run("verify", path, "--key", key.PublicKey).Code);
        }
    }

    [Fact]
    public async Task A_tampered_bundle_exits_1_and_names_each_failing_file()
    {
        (string path, EvidenceSigningKey key) = await BundleAsync();
        key.Dispose();
        string segment;
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.Entries.First(e => e.FullName.EndsWith(".rseg", StringComparison.Ordinal));
            segment = entry.FullName;
            entry.Delete();
        }

        (int code, string output, _) = Run("verify", path);

        Assert.Equal(1, code);
        Assert.Contains("FAILS verification", output, StringComparison.Ordinal);
        Assert.Contains($"  {segment}: listed in bundle.json but missing from the archive", output, StringComparison.Ordinal);
        Assert.Contains($"  {segment}: missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_signed_by_another_key_than_the_one_given_exits_1()
    {
        (string path, EvidenceSigningKey key) = await BundleAsync();
        key.Dispose();
        using EvidenceSigningKey other = EvidenceSigningKey.CreateEphemeral();

        (int code, string output, _) = Run("verify", path, "--key=" + other.PublicKey);

        Assert.Equal(1, code);
        Assert.Contains("bundle.json: signed by a key that is not the trusted one", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_exits_1_with_a_message_and_usage_mistakes_exit_2()
    {
        string garbage = Path.Combine(_directory, "garbage.zip");
        File.WriteAllText(garbage, "not a zip");

        (int code, string output, _) = Run("verify", garbage);
        Assert.Equal(1, code);
        Assert.Contains("(archive): not a readable zip archive", output, StringComparison.Ordinal);

        Assert.Equal(2, Run("verify").Code);
        Assert.Equal(2, Run("verify", Path.Combine(_directory, "none.zip")).Code);
        Assert.Equal(2, Run("verify", garbage, "--what").Code);
        Assert.Contains("usage:", Run("verify").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_main_dispatches_the_verify_verb_without_starting_the_relay()
    {
        Assert.True(BundleVerifyCommand.Matches(["verify", "x.zip"]));
        Assert.False(BundleVerifyCommand.Matches(["audit", "verify"]));
        Assert.Equal(2, await Program.Main(["verify"]));
    }

    private async Task<(string Path, EvidenceSigningKey Key)> BundleAsync()
    {
        var key = EvidenceSigningKey.CreateEphemeral();
        string recordings = Path.Combine(_directory, "recordings");
        RecordingManifest manifest = await ExportTestRecordings.RecordAsync(recordings, "s1", key);
        var bundle = new EvidenceBundle(EvidenceBundle.ExportPurpose, "tester", DateTimeOffset.UtcNow, null, [
            new BundleItem("s1", "incident 1", [new BundleDocument("audit.json", "[]"u8.ToArray(), "audit")], [DirectoryRecordingObjects.Under(recordings, manifest.RecordingId)]),
        ]);
        string path = Path.Combine(_directory, "bundle-" + Guid.NewGuid().ToString("N") + ".zip");
        await using (FileStream file = File.Create(path))
        {
            await new EvidenceBundleWriter(key).WriteAsync(bundle, file);
        }

        return (path, key);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = BundleVerifyCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
