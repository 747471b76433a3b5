using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.FileSystem;
using Relay.Recording.Upload;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Upload;

/// <summary>
/// The spool and the file system store together, as a node runs them: recording, spool and store on
/// one file system, a closed segment reaches the store as a hard link of the recorder's own file (no
/// second copy); with the store on another file system it is copied; the guarantees of a copy hold.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EvidenceUploadSpoolLinkTests : IDisposable
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _work = Path.Combine(Path.GetTempPath(), "relay-spool-link-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero));
    private readonly List<string> _cleanup = [];
    private string _storeRoot;
    private IEvidenceStore _store;

    public EvidenceUploadSpoolLinkTests()
    {
        Directory.CreateDirectory(Recordings);
        _storeRoot = Path.Combine(_work, "evidence");
        _store = OpenStore(_storeRoot);
    }

    private string Recordings => Path.Combine(_work, "recordings");

    private string SpoolDirectory => Path.Combine(_work, "spool");

    public void Dispose()
    {
        _store.Dispose();
        foreach (string path in _cleanup.Append(_work))
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private IEvidenceStore OpenStore(string root)
    {
        Directory.CreateDirectory(root);
        using var http = new HttpClient();
        return new FileSystemEvidenceStorePlugin().CreateStore(new Dictionary<string, string?> { ["Root"] = root }, http, _time);
    }

    private EvidenceUploadSpool OpenSpool() => new(
        _store,
        new EvidenceUploadOptions { SpoolDirectory = SpoolDirectory, InitialRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(30) },
        _time,
        NullLogger<EvidenceUploadSpool>.Instance);

    private static EvidenceObjectKey Key(string name) => EvidenceObjectKey.Create("rec-1", name);

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<string> ClosedSegmentAsync(string name, byte[] bytes)
    {
        string path = Path.Combine(Recordings, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private string StoredPath(string name) => Path.Combine(_storeRoot, "rec-1", name);

    private string[] SpooledFiles() => [.. Directory.EnumerateFiles(SpoolDirectory).Select(Path.GetFileName)!];

    [Fact]
    public async Task On_one_file_system_a_closed_segment_reaches_the_store_as_the_recorders_own_file_read_only()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(400_000, 1);
        string closed = await ClosedSegmentAsync("segment-000001.rseg", segment);

        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(1, spool.LinkedObjects);
        Assert.Equal(1, spool.StoreLinkedObjects);
        Assert.Equal(segment, await File.ReadAllBytesAsync(StoredPath("segment-000001.rseg")));
        Assert.Equal(ReadOnly, File.GetUnixFileMode(StoredPath("segment-000001.rseg")));
        // One inode under both names: the recorder's file took the object's read-only mode.
        Assert.Equal(ReadOnly, File.GetUnixFileMode(closed));
        EvidenceObjectInfo? info = await _store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None);
        Assert.Equal(Sha256Of(segment), info?.Sha256);
        Assert.Equal(segment.Length, info?.Size);
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public async Task Disposing_of_the_local_recording_leaves_the_stored_evidence_whole()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(100_000, 2);
        string closed = await ClosedSegmentAsync("segment-000001.rseg", segment);
        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        await spool.UploadDueAsync(CancellationToken.None);

        Directory.Delete(Recordings, recursive: true);

        Assert.Equal(segment, await File.ReadAllBytesAsync(StoredPath("segment-000001.rseg")));
    }

    [Fact]
    public async Task With_the_store_on_another_file_system_the_segment_is_copied_and_the_recording_left_writable()
    {
        // /dev/shm is a tmpfs: another file system than the temp directory where the recording is,
        // when link(2) between them fails with EXDEV (checked here; otherwise there is nothing to test).
        string otherRoot = Path.Combine("/dev/shm", "relay-spool-link-" + Guid.NewGuid().ToString("N"));
        if (!Directory.Exists("/dev/shm") || !IsAnotherFileSystem(otherRoot))
        {
            return;
        }

        _cleanup.Add(otherRoot);
        _store.Dispose();
        _storeRoot = Path.Combine(otherRoot, "evidence");
        _store = OpenStore(_storeRoot);
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(200_000, 3);
        string closed = await ClosedSegmentAsync("segment-000001.rseg", segment);
        UnixFileMode before = File.GetUnixFileMode(closed);

        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(1, spool.LinkedObjects);
        Assert.Equal(0, spool.StoreLinkedObjects);
        Assert.Equal(segment, await File.ReadAllBytesAsync(StoredPath("segment-000001.rseg")));
        Assert.Equal(ReadOnly, File.GetUnixFileMode(StoredPath("segment-000001.rseg")));
        Assert.Equal(before, File.GetUnixFileMode(closed));
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public async Task A_store_that_is_down_keeps_the_linked_segment_queued_and_takes_it_once_back()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(50_000, 4);
        string closed = await ClosedSegmentAsync("segment-000001.rseg", segment);
        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        Directory.Move(_storeRoot, _storeRoot + ".unmounted");

        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));
        Assert.Equal(1, spool.Status.PendingObjects);
        Assert.Equal(1, spool.Status.ConsecutiveFailures);
        // The recording's name goes meanwhile (disposal): the spool's link still holds the bytes.
        File.Delete(closed);

        Directory.Move(_storeRoot + ".unmounted", _storeRoot);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(1, spool.StoreLinkedObjects);
        Assert.Equal(segment, await File.ReadAllBytesAsync(StoredPath("segment-000001.rseg")));
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public async Task A_restart_after_the_store_linked_but_before_the_spool_let_go_accepts_the_object_once()
    {
        byte[] segment = Bytes(30_000, 5);
        string closed = await ClosedSegmentAsync("segment-000001.rseg", segment);
        await using (EvidenceUploadSpool first = OpenSpool())
        {
            await first.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        }

        // What a SIGKILL between the store's link and the spool's removal leaves: the object stored, the
        // spool's entry still journalled, a temporary name of the same file in the store's directory.
        string spooled = Path.Combine(SpoolDirectory, Assert.Single(SpooledFiles(), f => f.EndsWith(".data", StringComparison.Ordinal)));
        await ((IEvidenceStoreFileLinking)_store).TryLinkFileAsync(Key("segment-000001.rseg"), spooled, Sha256Of(segment), CancellationToken.None);
        File.Delete(Path.Combine(_storeRoot, "rec-1", ".segment-000001.rseg.sha256"));
        Assert.True(SpoolFileLink.TryCreate(spooled, Path.Combine(_storeRoot, "rec-1", ".partial-" + Guid.NewGuid().ToString("N"))));

        await using EvidenceUploadSpool second = OpenSpool();
        Assert.Equal(1, second.Status.PendingObjects);
        Assert.Equal(1, await second.UploadDueAsync(CancellationToken.None));

        Assert.Equal(0, second.Status.QuarantinedObjects);
        EvidenceObjectInfo stored = Assert.Single(await _store.ListAsync("rec-1", CancellationToken.None));
        Assert.Equal(Sha256Of(segment), stored.Sha256);
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public async Task A_different_object_under_the_key_is_never_replaced_by_a_link_and_ours_is_quarantined()
    {
        byte[] other = Bytes(1_000, 6);
        byte[] ours = Bytes(1_000, 7);
        await _store.PutAsync(Key("segment-000001.rseg"), new MemoryStream(other), null, CancellationToken.None);
        await using EvidenceUploadSpool spool = OpenSpool();
        string closed = await ClosedSegmentAsync("segment-000001.rseg", ours);

        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(ours), CancellationToken.None);
        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(other, await File.ReadAllBytesAsync(StoredPath("segment-000001.rseg")));
        Assert.Equal(1, spool.Status.QuarantinedObjects);
        Assert.Equal(ours, await File.ReadAllBytesAsync(Assert.Single(Directory.EnumerateFiles(Path.Combine(SpoolDirectory, "quarantine"), "*.data"))));
    }

    private bool IsAnotherFileSystem(string otherRoot)
    {
        Directory.CreateDirectory(otherRoot);
        _cleanup.Add(otherRoot);
        string probe = Path.Combine(otherRoot, "probe");
        File.WriteAllBytes(probe, [0]);
        string target = Path.Combine(_work, "probe");
        try
        {
            // link(2) fails (EXDEV) across file systems.
            return !SpoolFileLink.TryCreate(probe, target);
        }
        finally
        {
            File.Delete(target);
            File.Delete(probe);
        }
    }
}
