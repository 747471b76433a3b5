using System.Security.Cryptography;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.FileSystem;
using Relay.Testing.Time;

namespace Relay.Plugins.Evidence.Tests.FileSystem;

/// <summary>
/// <see cref="IEvidenceStoreFileLinking"/> as the file system store provides it: a closed local file
/// stored by a hard link (no second copy), with the same write-once and integrity guarantees as a put,
/// and declined (so the caller copies) when the file is on another file system.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileSystemEvidenceStoreLinkTests : IDisposable
{
    private const int EXDEV = 18;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _work = Path.Combine(Path.GetTempPath(), "relay-evidence-link-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero));
    private readonly List<string> _cleanup = [];

    public FileSystemEvidenceStoreLinkTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Spool);
    }

    private string Root => Path.Combine(_work, "evidence");

    private string Spool => Path.Combine(_work, "spool");

    public void Dispose()
    {
        foreach (string path in _cleanup.Append(_work))
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private FileSystemEvidenceStore Store(bool linkFiles = true, Func<string, string, int>? link = null) => new(Root, _time, linkFiles, link);

    private static EvidenceObjectKey Key(string name) => EvidenceObjectKey.Create("rec-link", name);

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<string> ClosedFileAsync(string directory, byte[] bytes)
    {
        string path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".data");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private string ObjectPath(string name) => Path.Combine(Root, "rec-link", name);

    private string[] PartialFiles() =>
        Directory.Exists(Path.Combine(Root, "rec-link"))
            ? [.. Directory.EnumerateFiles(Path.Combine(Root, "rec-link"), ".partial-*")]
            : [];

    [Fact]
    public async Task A_file_on_the_stores_file_system_is_stored_by_a_link_with_its_size_and_hash()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(300_000, 1);
        string file = await ClosedFileAsync(Spool, bytes);

        EvidenceObjectInfo? info = await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);

        Assert.NotNull(info);
        Assert.Equal(bytes.Length, info.Size);
        Assert.Equal(Sha256Of(bytes), info.Sha256);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(ObjectPath("segment-000001.rseg")));
        EvidenceObjectInfo? listed = await store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None);
        Assert.Equal(Sha256Of(bytes), listed?.Sha256);
        Assert.Empty(PartialFiles());
    }

    [Fact]
    public async Task The_linked_object_is_read_only_and_so_is_the_file_it_shares_its_bytes_with()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(10_000, 2);
        string file = await ClosedFileAsync(Spool, bytes);

        await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);

        Assert.Equal(ReadOnly, File.GetUnixFileMode(ObjectPath("segment-000001.rseg")));
        // The mode belongs to the inode: the spool's name turning read-only shows it is the same file, not a copy.
        Assert.Equal(ReadOnly, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Deleting_the_spooled_name_after_linking_leaves_the_stored_object_whole()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(50_000, 3);
        string file = await ClosedFileAsync(Spool, bytes);

        await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);
        File.Delete(file);

        await using Stream stored = await store.OpenReadAsync(Key("segment-000001.rseg"), CancellationToken.None);
        (string sha256, long length) = await EvidenceHash.ComputeAsync(stored, CancellationToken.None);
        Assert.Equal(Sha256Of(bytes), sha256);
        Assert.Equal(bytes.Length, length);
    }

    [Fact]
    public async Task Linking_is_refused_when_a_different_object_exists_under_the_key_and_the_object_is_never_overwritten()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] stored = Bytes(2_000, 4);
        byte[] other = Bytes(2_000, 5);
        await store.PutAsync(Key("segment-000001.rseg"), new MemoryStream(stored), null, CancellationToken.None);
        string file = await ClosedFileAsync(Spool, other);

        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(other), CancellationToken.None));

        Assert.Equal(EvidenceStoreError.AlreadyExists, refused.Error);
        Assert.Equal(stored, await File.ReadAllBytesAsync(ObjectPath("segment-000001.rseg")));
        EvidenceObjectInfo? info = await store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None);
        Assert.Equal(Sha256Of(stored), info?.Sha256);
        Assert.Empty(PartialFiles());
    }

    [Fact]
    public async Task Linking_the_same_bytes_again_after_a_crash_returns_the_stored_object()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(4_000, 6);
        string file = await ClosedFileAsync(Spool, bytes);
        await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);
        // What a crash between the placing and the spool's removal leaves: the sidecar not yet written.
        File.Delete(Path.Combine(Root, "rec-link", ".segment-000001.rseg.sha256"));

        EvidenceObjectInfo? again = await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);

        Assert.Equal(Sha256Of(bytes), again?.Sha256);
        Assert.Equal(Sha256Of(bytes), (await store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None))?.Sha256);
        Assert.Single(await store.ListAsync("rec-link", CancellationToken.None));
    }

    [Fact]
    public async Task A_file_that_does_not_hash_as_expected_is_not_stored()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(8_000, 7);
        string file = await ClosedFileAsync(Spool, bytes);

        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of([1, 2, 3]), CancellationToken.None));

        Assert.Equal(EvidenceStoreError.IntegrityMismatch, refused.Error);
        Assert.Null(await store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None));
        Assert.Empty(PartialFiles());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task A_file_on_another_file_system_is_declined_with_nothing_stored_or_changed()
    {
        // link(2) across file systems fails with EXDEV; the store's link is replaced to fail the same way.
        using FileSystemEvidenceStore store = Store(link: static (_, _) => EXDEV);
        byte[] bytes = Bytes(6_000, 8);
        string file = await ClosedFileAsync(Spool, bytes);
        UnixFileMode before = File.GetUnixFileMode(file);

        EvidenceObjectInfo? info = await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);

        Assert.Null(info);
        Assert.Null(await store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None));
        Assert.Equal(before, File.GetUnixFileMode(file));
        Assert.Empty(PartialFiles());
    }

    [Fact]
    public async Task A_file_on_a_real_other_file_system_is_declined_and_then_stored_by_a_copy()
    {
        // /dev/shm is a tmpfs, another file system than the temp directory on most Linux machines; the
        // store's own link(2) says whether that holds here, and without one there is nothing to test.
        string other = Path.Combine("/dev/shm", "relay-evidence-link-" + Guid.NewGuid().ToString("N"));
        if (!Directory.Exists("/dev/shm"))
        {
            return;
        }

        Directory.CreateDirectory(other);
        _cleanup.Add(other);
        string probe = await ClosedFileAsync(other, [0]);
        if (WriteOnceMove.HardLink(probe, Path.Combine(_work, "probe")) != EXDEV)
        {
            return;
        }

        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(20_000, 9);
        string file = await ClosedFileAsync(other, bytes);

        EvidenceObjectInfo? linked = await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);
        Assert.Null(linked);
        Assert.Empty(PartialFiles());

        await using (var source = File.OpenRead(file))
        {
            await store.PutAsync(Key("segment-000001.rseg"), source, Sha256Of(bytes), CancellationToken.None);
        }

        Assert.Equal(bytes, await File.ReadAllBytesAsync(ObjectPath("segment-000001.rseg")));
        Assert.NotEqual(ReadOnly, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task With_linking_turned_off_every_file_is_declined()
    {
        using FileSystemEvidenceStore store = Store(linkFiles: false);
        byte[] bytes = Bytes(1_000, 10);
        string file = await ClosedFileAsync(Spool, bytes);

        Assert.Null(await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None));
        Assert.Null(await store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None));
    }

    [Fact]
    public async Task The_plugin_links_unless_its_setting_turns_it_off()
    {
        byte[] bytes = Bytes(1_000, 11);
        string file = await ClosedFileAsync(Spool, bytes);
        using var http = new HttpClient();
        var plugin = new FileSystemEvidenceStorePlugin();
        using IEvidenceStore off = plugin.CreateStore(new Dictionary<string, string?> { ["Root"] = Root, ["LinkFiles"] = "false" }, http, _time);
        using IEvidenceStore on = plugin.CreateStore(new Dictionary<string, string?> { ["Root"] = Root }, http, _time);

        Assert.Null(await ((IEvidenceStoreFileLinking)off).TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None));
        Assert.NotNull(await ((IEvidenceStoreFileLinking)on).TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None));
        var invalid = Assert.Throws<ArgumentException>(() => plugin.CreateStore(new Dictionary<string, string?> { ["Root"] = Root, ["LinkFiles"] = "sometimes" }, http, _time));
        Assert.Contains("LinkFiles", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_whose_root_has_gone_is_unavailable_rather_than_declining()
    {
        using FileSystemEvidenceStore store = Store();
        byte[] bytes = Bytes(1_000, 12);
        string file = await ClosedFileAsync(Spool, bytes);
        Directory.Move(Root, Root + ".unmounted");

        var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None));

        Assert.Equal(EvidenceStoreError.Unavailable, failure.Error);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task A_relative_path_or_a_missing_hash_is_refused()
    {
        using FileSystemEvidenceStore store = Store();

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryLinkFileAsync(Key("a.bin"), "spool/x.data", Sha256Of([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryLinkFileAsync(Key("a.bin"), Path.Combine(Spool, "x.data"), "not-a-hash", CancellationToken.None));
    }

    [Fact]
    public async Task A_linked_object_in_a_held_recording_is_reported_held()
    {
        using FileSystemEvidenceStore store = Store();
        await store.SetLegalHoldAsync("rec-link", hold: true, CancellationToken.None);
        byte[] bytes = Bytes(1_000, 13);
        string file = await ClosedFileAsync(Spool, bytes);

        EvidenceObjectInfo? info = await store.TryLinkFileAsync(Key("segment-000001.rseg"), file, Sha256Of(bytes), CancellationToken.None);

        Assert.True(info?.LegalHold);
    }
}
