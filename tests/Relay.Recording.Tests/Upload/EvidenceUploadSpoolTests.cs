using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.FileSystem;
using Relay.Recording.Upload;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Upload;

public sealed class EvidenceUploadSpoolTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "relay-spool-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly IEvidenceStore _store;

    public EvidenceUploadSpoolTests()
    {
        Directory.CreateDirectory(StoreRoot);
        using var http = new HttpClient();
        _store = new FileSystemEvidenceStorePlugin().CreateStore(new Dictionary<string, string?> { ["Root"] = StoreRoot }, http, _time);
    }

    private string StoreRoot => Path.Combine(_work, "store");

    private string SpoolDirectory => Path.Combine(_work, "spool");

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private EvidenceUploadSpool OpenSpool() => new(
        _store,
        new EvidenceUploadOptions { SpoolDirectory = SpoolDirectory, InitialRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(30) },
        _time,
        NullLogger<EvidenceUploadSpool>.Instance);

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static EvidenceObjectKey Key(string name) => EvidenceObjectKey.Create("rec-1", name);

    private string[] SpooledFiles() => [.. Directory.EnumerateFiles(SpoolDirectory).Select(Path.GetFileName)!];

    private async Task<byte[]> StoredAsync(EvidenceObjectKey key)
    {
        await using Stream stream = await _store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private void TakeStoreDown() => Directory.Move(StoreRoot, StoreRoot + ".unmounted");

    private void BringStoreBack() => Directory.Move(StoreRoot + ".unmounted", StoreRoot);

    [Fact]
    public async Task A_closed_segment_is_uploaded_verified_and_removed_from_the_spool()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(200_000, 1);
        string closed = Path.Combine(_work, "segment-000001.rseg");
        await File.WriteAllBytesAsync(closed, segment);

        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        Assert.Equal(1, spool.Status.PendingObjects);
        Assert.Equal(segment.Length, spool.Status.PendingBytes);
        int uploaded = await spool.UploadDueAsync(CancellationToken.None);

        Assert.Equal(1, uploaded);
        Assert.Equal(segment, await StoredAsync(Key("segment-000001.rseg")));
        Assert.Empty(SpooledFiles());
        Assert.Equal(new EvidenceUploadStatus(0, 0, 0, 0, null, null), spool.Status);
    }

    [Fact]
    public async Task On_the_recordings_file_system_a_closed_segment_is_spooled_by_a_hard_link_not_a_copy()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(200_000, 3);
        string closed = Path.Combine(_work, "segment-000001.rseg");
        await File.WriteAllBytesAsync(closed, segment);

        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of(segment), CancellationToken.None);
        // The recording's own name goes (disposal of the local copy); the spool's name still holds the bytes.
        File.Delete(closed);
        int uploaded = await spool.UploadDueAsync(CancellationToken.None);

        Assert.Equal(1, spool.LinkedObjects);
        Assert.Equal(1, uploaded);
        Assert.Equal(segment, await StoredAsync(Key("segment-000001.rseg")));
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public async Task A_closed_file_that_no_longer_matches_the_recorders_hash_is_quarantined_at_upload_and_never_stored()
    {
        // Spooled by a link without being read (issue 5); the store's check against the recorder's hash refuses it.
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(1_000, 4);
        string closed = Path.Combine(_work, "segment-000001.rseg");
        await File.WriteAllBytesAsync(closed, segment);

        await spool.EnqueueFileAsync(Key("segment-000001.rseg"), closed, Sha256Of([1]), CancellationToken.None);
        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Null(await _store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None));
        Assert.Equal(0, spool.Status.PendingObjects);
        Assert.Equal(1, spool.Status.QuarantinedObjects);
        Assert.Equal(segment, await File.ReadAllBytesAsync(closed));
    }

    [Fact]
    public async Task A_file_that_no_longer_matches_the_recorders_hash_is_not_spooled()
    {
        await using EvidenceUploadSpool spool = OpenSpool();

        var refused = await Assert.ThrowsAsync<EvidenceStoreException>(() =>
            spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(Bytes(100, 2)), Sha256Of([1]), CancellationToken.None));

        Assert.Equal(EvidenceStoreError.IntegrityMismatch, refused.Error);
        Assert.Empty(SpooledFiles());
        Assert.Equal(0, spool.Status.PendingObjects);
    }

    [Fact]
    public async Task While_the_store_is_down_objects_wait_in_the_spool_with_exponential_backoff()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        byte[] segment = Bytes(10_000, 3);
        await spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(segment), null, CancellationToken.None);
        TakeStoreDown();

        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));
        EvidenceUploadStatus down = spool.Status;
        Assert.Equal(1, down.PendingObjects);
        Assert.Equal(1, down.ConsecutiveFailures);
        Assert.Equal(_time.GetUtcNow().AddSeconds(1), down.NextAttemptAt);
        Assert.Contains("does not exist", down.LastError, StringComparison.Ordinal);

        // Not due yet: no attempt is made.
        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));
        Assert.Equal(1, spool.Status.ConsecutiveFailures);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));
        Assert.Equal(2, spool.Status.ConsecutiveFailures);
        Assert.Equal(_time.GetUtcNow().AddSeconds(2), spool.Status.NextAttemptAt);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));
        Assert.Equal(_time.GetUtcNow().AddSeconds(4), spool.Status.NextAttemptAt);
        Assert.Equal(2, SpooledFiles().Length);

        BringStoreBack();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(segment, await StoredAsync(Key("segment-000001.rseg")));
        Assert.Equal(0, spool.Status.ConsecutiveFailures);
        Assert.Null(spool.Status.NextAttemptAt);
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public void The_retry_delay_doubles_and_stops_at_the_maximum()
    {
        var spool = OpenSpool();

        Assert.Equal(TimeSpan.FromSeconds(1), spool.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(2), spool.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(16), spool.RetryDelay(5));
        Assert.Equal(TimeSpan.FromSeconds(30), spool.RetryDelay(6));
        Assert.Equal(TimeSpan.FromSeconds(30), spool.RetryDelay(1_000));
    }

    [Fact]
    public async Task A_restart_mid_queue_resumes_in_order_and_loses_nothing()
    {
        byte[][] objects = [Bytes(30_000, 10), Bytes(30_000, 11), Bytes(500, 12)];
        string[] names = ["segment-000001.rseg", "segment-000002.rseg", "manifest.json"];
        await using (EvidenceUploadSpool first = OpenSpool())
        {
            await first.EnqueueAsync(Key(names[0]), new MemoryStream(objects[0]), null, CancellationToken.None);
            Assert.Equal(1, await first.UploadDueAsync(CancellationToken.None));
            TakeStoreDown();
            await first.EnqueueAsync(Key(names[1]), new MemoryStream(objects[1]), null, CancellationToken.None);
            await first.EnqueueAsync(Key(names[2]), new MemoryStream(objects[2]), Sha256Of(objects[2]), CancellationToken.None);
            Assert.Equal(0, await first.UploadDueAsync(CancellationToken.None));
        }

        BringStoreBack();
        await using EvidenceUploadSpool second = OpenSpool();
        EvidenceUploadStatus recovered = second.Status;
        Assert.Equal(2, recovered.PendingObjects);
        Assert.Equal(30_500, recovered.PendingBytes);

        Assert.Equal(2, await second.UploadDueAsync(CancellationToken.None));

        for (int i = 0; i < objects.Length; i++)
        {
            Assert.Equal(objects[i], await StoredAsync(Key(names[i])));
        }

        Assert.Empty(SpooledFiles());
        string record = Assert.Single(Directory.EnumerateFiles(Path.Combine(_work, "store", "rec-1"), ".segment-000002.rseg.sha256", SearchOption.TopDirectoryOnly));
        Assert.StartsWith(Sha256Of(objects[1]), await File.ReadAllTextAsync(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_during_enqueue_or_after_an_upload_leaves_nothing_to_resend_wrongly()
    {
        Directory.CreateDirectory(SpoolDirectory);
        // An enqueue that died before its journal record (never acknowledged), and a half-written copy.
        await File.WriteAllBytesAsync(Path.Combine(SpoolDirectory, "0000000000000000001-00000001-x.data"), Bytes(10, 20));
        await File.WriteAllBytesAsync(Path.Combine(SpoolDirectory, "0000000000000000002-00000002-y.data.partial"), Bytes(10, 21));

        await using EvidenceUploadSpool spool = OpenSpool();

        Assert.Equal(0, spool.Status.PendingObjects);
        Assert.Empty(SpooledFiles());
    }

    [Fact]
    public async Task A_damaged_journal_record_is_quarantined_not_deleted()
    {
        Directory.CreateDirectory(SpoolDirectory);
        await File.WriteAllBytesAsync(Path.Combine(SpoolDirectory, "0000000000000000001-00000001-x.data"), Bytes(10, 22));
        await File.WriteAllTextAsync(Path.Combine(SpoolDirectory, "0000000000000000001-00000001-x.json"), "{ not json");

        await using EvidenceUploadSpool spool = OpenSpool();

        Assert.Equal(0, spool.Status.PendingObjects);
        Assert.Equal(1, spool.Status.QuarantinedObjects);
        Assert.True(File.Exists(Path.Combine(SpoolDirectory, "quarantine", "0000000000000000001-00000001-x.data")));
    }

    [Fact]
    public async Task A_different_object_already_under_the_key_is_quarantined_and_the_rest_still_upload()
    {
        byte[] other = Bytes(1_000, 30);
        byte[] ours = Bytes(1_000, 31);
        byte[] next = Bytes(1_000, 32);
        await _store.PutAsync(Key("segment-000001.rseg"), new MemoryStream(other), null, CancellationToken.None);
        await using EvidenceUploadSpool spool = OpenSpool();
        await spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(ours), null, CancellationToken.None);
        await spool.EnqueueAsync(Key("segment-000002.rseg"), new MemoryStream(next), null, CancellationToken.None);

        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(0, spool.Status.PendingObjects);
        Assert.Equal(1, spool.Status.QuarantinedObjects);
        Assert.Equal(other, await StoredAsync(Key("segment-000001.rseg")));
        Assert.Equal(next, await StoredAsync(Key("segment-000002.rseg")));
        string kept = Assert.Single(Directory.EnumerateFiles(Path.Combine(SpoolDirectory, "quarantine"), "*.data"));
        Assert.Equal(ours, await File.ReadAllBytesAsync(kept));
    }

    [Fact]
    public async Task An_object_already_uploaded_before_a_crash_is_accepted_again_without_a_duplicate()
    {
        byte[] segment = Bytes(2_000, 40);
        await _store.PutAsync(Key("segment-000001.rseg"), new MemoryStream(segment), null, CancellationToken.None);
        await using EvidenceUploadSpool spool = OpenSpool();
        await spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(segment), null, CancellationToken.None);

        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(0, spool.Status.QuarantinedObjects);
        Assert.Single(await _store.ListAsync("rec-1", CancellationToken.None));
    }

    [Fact]
    public async Task A_spooled_copy_damaged_on_disk_is_quarantined_and_never_uploaded()
    {
        await using EvidenceUploadSpool spool = OpenSpool();
        await spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(Bytes(4_000, 60)), null, CancellationToken.None);
        string data = Directory.EnumerateFiles(SpoolDirectory, "*.data").Single();
        File.SetAttributes(data, FileAttributes.Normal);
        byte[] damaged = await File.ReadAllBytesAsync(data);
        damaged[1234] ^= 0x01;
        await File.WriteAllBytesAsync(data, damaged);

        Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Null(await _store.GetInfoAsync(Key("segment-000001.rseg"), CancellationToken.None));
        Assert.Equal(1, spool.Status.QuarantinedObjects);
        Assert.Equal(0, spool.Status.PendingObjects);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(SpoolDirectory, "quarantine"), "*.data"));
    }

    [Fact]
    public async Task When_the_store_does_not_report_a_hash_the_upload_is_read_back_and_hashed()
    {
        var hashless = new HashlessStore(_store);
        await using var spool = new EvidenceUploadSpool(hashless, new EvidenceUploadOptions { SpoolDirectory = SpoolDirectory }, _time, NullLogger<EvidenceUploadSpool>.Instance);
        byte[] segment = Bytes(3_000, 61);
        await spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(segment), null, CancellationToken.None);

        Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

        Assert.Equal(1, hashless.Reads);
        Assert.Empty(SpooledFiles());
    }

    /// <summary>A store that knows sizes but not hashes (as some object stores list them).</summary>
    private sealed class HashlessStore(IEvidenceStore inner) : IEvidenceStore
    {
        public int Reads { get; private set; }

        public Task<EvidenceObjectInfo> PutAsync(EvidenceObjectKey key, Stream content, string? expectedSha256, CancellationToken cancellationToken) =>
            inner.PutAsync(key, content, expectedSha256, cancellationToken);

        public Task<Stream> OpenReadAsync(EvidenceObjectKey key, CancellationToken cancellationToken)
        {
            Reads++;
            return inner.OpenReadAsync(key, cancellationToken);
        }

        public async Task<EvidenceObjectInfo?> GetInfoAsync(EvidenceObjectKey key, CancellationToken cancellationToken) =>
            await inner.GetInfoAsync(key, cancellationToken) is { } info ? info with { Sha256 = null } : null;

        public Task<IReadOnlyList<EvidenceObjectInfo>> ListAsync(string recordingId, CancellationToken cancellationToken) => inner.ListAsync(recordingId, cancellationToken);

        public Task DeleteAsync(EvidenceObjectKey key, EvidenceDeletion deletion, CancellationToken cancellationToken) => inner.DeleteAsync(key, deletion, cancellationToken);

        public Task SetLegalHoldAsync(string recordingId, bool hold, CancellationToken cancellationToken) => inner.SetLegalHoldAsync(recordingId, hold, cancellationToken);

        public Task<bool> IsUnderLegalHoldAsync(string recordingId, CancellationToken cancellationToken) => inner.IsUnderLegalHoldAsync(recordingId, cancellationToken);

        public Task<Relay.Plugins.Abstractions.PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Started_in_the_background_it_uploads_what_is_enqueued()
    {
        await using var spool = new EvidenceUploadSpool(
            _store,
            new EvidenceUploadOptions { SpoolDirectory = SpoolDirectory },
            TimeProvider.System,
            NullLogger<EvidenceUploadSpool>.Instance);
        spool.Start();
        byte[] segment = Bytes(5_000, 50);

        await spool.EnqueueAsync(Key("segment-000001.rseg"), new MemoryStream(segment), null, CancellationToken.None);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (spool.Status.PendingObjects > 0)
        {
            await Task.Delay(10, limit.Token);
        }

        Assert.Equal(segment, await StoredAsync(Key("segment-000001.rseg")));
    }
}
