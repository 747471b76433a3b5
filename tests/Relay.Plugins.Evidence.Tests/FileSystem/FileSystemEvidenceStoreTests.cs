using System.Text.Json;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.FileSystem;
using Relay.Testing.Time;

namespace Relay.Plugins.Evidence.Tests.FileSystem;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileSystemEvidenceStoreTests : EvidenceStoreContractTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "relay-evidence-fs-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
    private readonly IEvidenceStore _store;

    public FileSystemEvidenceStoreTests()
    {
        _store = CreateStore(_root, _time);
    }

    protected override IEvidenceStore Store => _store;

    internal static IEvidenceStore CreateStore(string root, TimeProvider time)
    {
        using var http = new HttpClient();
        return new FileSystemEvidenceStorePlugin().CreateStore(
            new Dictionary<string, string?> { [FileSystemEvidenceStorePlugin.RootSetting] = root }, http, time);
    }

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void The_plugin_describes_itself_and_its_settings()
    {
        var plugin = new FileSystemEvidenceStorePlugin();

        Assert.Equal("filesystem", plugin.Description.Name);
        Assert.Collection(
            plugin.Description.Settings,
            root =>
            {
                Assert.Equal("Root", root.Key);
                Assert.True(root.Required);
            },
            link =>
            {
                Assert.Equal("LinkFiles", link.Key);
                Assert.False(link.Required);
            });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/evidence")]
    public void A_missing_or_relative_root_is_refused_naming_the_setting(string? root)
    {
        using var http = new HttpClient();
        var failure = Assert.Throws<ArgumentException>(() => new FileSystemEvidenceStorePlugin().CreateStore(
            new Dictionary<string, string?> { ["Root"] = root }, http, TimeProvider.System));

        Assert.Contains("Root", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objects_are_files_under_the_recording_directory_and_read_only()
    {
        byte[] bytes = Bytes(1_000, 10);

        await Store.PutAsync(Key("rec-files", "segment-000001.rseg"), new MemoryStream(bytes), null, CancellationToken.None);

        string path = Path.Combine(_root, "rec-files", "segment-000001.rseg");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_root, "rec-files")), f => Path.GetFileName(f).StartsWith(".partial-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_put_that_fails_midway_leaves_nothing_under_the_key()
    {
        EvidenceObjectKey key = Key("rec-torn", "segment-000001.rseg");

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(key, new FailingStream(Bytes(70_000, 11), failAfter: 50_000), null, CancellationToken.None));

        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "rec-torn")));
    }

    [Fact]
    public async Task Delete_leaves_a_tombstone_saying_who_why_and_when()
    {
        byte[] bytes = Bytes(64, 12);
        EvidenceObjectKey key = Key("rec-tomb", "segment-000001.rseg");
        await Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(31));

        await Store.DeleteAsync(key, new EvidenceDeletion("alice", "no further action; disposal approved"), CancellationToken.None);

        string line = Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_root, "rec-tomb", ".tombstones.jsonl")));
        using JsonDocument tomb = JsonDocument.Parse(line);
        Assert.Equal("segment-000001.rseg", tomb.RootElement.GetProperty("name").GetString());
        Assert.Equal(64, tomb.RootElement.GetProperty("size").GetInt64());
        Assert.Equal(Sha256Of(bytes), tomb.RootElement.GetProperty("sha256").GetString());
        Assert.Equal("alice", tomb.RootElement.GetProperty("actor").GetString());
        Assert.Equal("no further action; disposal approved", tomb.RootElement.GetProperty("reason").GetString());
        Assert.Equal("2027-01-01T09:30:00.0000000Z", tomb.RootElement.GetProperty("deletedAt").GetString());
        Assert.False(File.Exists(Path.Combine(_root, "rec-tomb", "segment-000001.rseg")));
    }

    [Fact]
    public async Task A_removed_root_makes_the_store_unavailable_and_is_not_recreated()
    {
        Directory.Delete(_root, recursive: true);

        var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            Store.PutAsync(Key("rec-gone", "segment-000001.rseg"), new MemoryStream(Bytes(10, 13)), null, CancellationToken.None));
        PluginHealth health = await Store.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(EvidenceStoreError.Unavailable, failure.Error);
        Assert.True(failure.IsTransient);
        Assert.False(health.Healthy);
        Assert.Contains(_root, health.Detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_root));
        Assert.Equal(EvidenceStoreError.Unavailable, (await Assert.ThrowsAsync<EvidenceStoreException>(() => Store.ListAsync("rec-gone", CancellationToken.None))).Error);
    }

    [Fact]
    public async Task A_write_the_disk_refuses_is_reported_as_unavailable_and_leaves_nothing()
    {
        // Tests run as root, for whom a read-only mode bit refuses nothing; a file where the recording's
        // directory should be makes the file system refuse the write instead.
        await File.WriteAllTextAsync(Path.Combine(_root, "rec-blocked"), "not a directory");

        var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            Store.PutAsync(Key("rec-blocked", "segment-000001.rseg"), new MemoryStream(Bytes(10, 16)), null, CancellationToken.None));

        Assert.Equal(EvidenceStoreError.Unavailable, failure.Error);
        Assert.Contains("rec-blocked", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hash_sidecar_lost_in_a_crash_is_restored_by_a_retried_put()
    {
        byte[] bytes = Bytes(500, 14);
        EvidenceObjectKey key = Key("rec-sidecar", "segment-000001.rseg");
        await Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None);
        File.Delete(Path.Combine(_root, "rec-sidecar", ".segment-000001.rseg.sha256"));
        Assert.Null((await Store.GetInfoAsync(key, CancellationToken.None))!.Sha256);

        await Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None);

        Assert.Equal(Sha256Of(bytes), (await Store.GetInfoAsync(key, CancellationToken.None))!.Sha256);
    }

    [Fact]
    public async Task Store_bookkeeping_files_never_show_as_objects()
    {
        await Store.SetLegalHoldAsync("rec-books", true, CancellationToken.None);
        await Store.PutAsync(Key("rec-books", "a.bin"), new MemoryStream(Bytes(1, 15)), null, CancellationToken.None);

        Assert.Equal(["a.bin"], (await Store.ListAsync("rec-books", CancellationToken.None)).Select(o => o.Key.Name));
    }

    [Fact]
    public async Task Hostile_recording_ids_are_refused_before_touching_the_disk()
    {
        foreach (string id in new[] { "..", "../x", "/etc", "a\0b", new string('x', 500) })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(id, CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.SetLegalHoldAsync(id, true, CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.IsUnderLegalHoldAsync(id, CancellationToken.None));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task The_default_key_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(default, new MemoryStream(), null, CancellationToken.None));
    }

    private sealed class FailingStream(byte[] bytes, int failAfter) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("the source went away");
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - Position)], cancellationToken);
        }
    }
}
