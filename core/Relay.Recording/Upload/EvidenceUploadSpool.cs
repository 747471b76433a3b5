using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Recording.Upload;

/// <summary>
/// The recorder's side of the evidence store: closed segments and manifests are copied into a local
/// spool (durably, with a journal record each) and uploaded in the order they were enqueued. While the
/// store is down nothing is lost: objects wait in the spool, attempts back off exponentially, and a
/// restart picks the spool up again. An upload counts only once the store reports the object with the
/// same size and SHA-256; then the spooled copy is removed.
/// </summary>
/// <remarks>
/// Spool layout: <c>{id}.data</c> (the bytes), <c>{id}.json</c> (the journal record: key, SHA-256, size,
/// attempts, last error), <c>*.partial</c> (being written), <c>quarantine/</c> (objects the store refused
/// for good: a different object already under the key, or a spooled copy that no longer matches its
/// hash; kept for a person, never deleted). Ids sort in enqueue order.
/// </remarks>
public sealed partial class EvidenceUploadSpool : IAsyncDisposable
{
    private const string DataExtension = ".data";
    private const string RecordExtension = ".json";
    private const string PartialExtension = ".partial";
    private const string QuarantineFolder = "quarantine";

    private readonly IEvidenceStore _store;
    private readonly EvidenceUploadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _spool;
    private readonly Lock _lock = new();
    private readonly List<SpoolEntry> _pending = [];
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _sequence;
    private int _consecutiveFailures;
    private string? _lastError;
    private DateTimeOffset? _nextAttemptAt;
    private int _quarantined;
    private long _failedAttempts;
    private long _uploadedObjects;
    private long _linkedObjects;
    private long _storeLinkedObjects;

    /// <summary>Opens the spool, recovering what a previous run left in it (see <see cref="Start"/> to upload in the background).</summary>
    public EvidenceUploadSpool(IEvidenceStore store, EvidenceUploadOptions options, TimeProvider time, ILogger<EvidenceUploadSpool> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.SpoolDirectory))
        {
            throw new ArgumentException("The evidence upload queue needs a spool directory (Relay:Evidence:Upload:SpoolDirectory).", nameof(options));
        }

        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _spool = Path.GetFullPath(options.SpoolDirectory);
        Directory.CreateDirectory(_spool);
        Directory.CreateDirectory(Path.Combine(_spool, QuarantineFolder));
        Recover();
    }

    /// <summary>What is waiting and how the store has been answering.</summary>
    public EvidenceUploadStatus Status
    {
        get
        {
            lock (_lock)
            {
                long bytes = 0;
                foreach (SpoolEntry entry in _pending)
                {
                    bytes += entry.Size;
                }

                return new EvidenceUploadStatus(_pending.Count, bytes, _quarantined, _consecutiveFailures, _lastError, _nextAttemptAt);
            }
        }
    }

    /// <summary>Failed upload attempts since the spool opened (each is retried with backoff).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Objects uploaded and confirmed by the store since the spool opened.</summary>
    public long UploadedObjects => Interlocked.Read(ref _uploadedObjects);

    /// <summary>Files spooled by a hard link rather than a copy since the spool opened.</summary>
    public long LinkedObjects => Interlocked.Read(ref _linkedObjects);

    /// <summary>Objects the store took from the spool by a hard link (<see cref="IEvidenceStoreFileLinking"/>) rather than a copy since the spool opened.</summary>
    public long StoreLinkedObjects => Interlocked.Read(ref _storeLinkedObjects);

    /// <summary>
    /// Called (on the upload loop) after each object is confirmed in the store and its spooled copy
    /// removed; objects of one recording are confirmed in the order they were enqueued. Must not block.
    /// </summary>
    public Action<EvidenceObjectKey>? Uploaded { get; set; }

    /// <summary>
    /// Copies the closed file at <paramref name="path"/> into the spool and returns once the copy and its
    /// journal record are on disk; the caller may then delete its own file. When
    /// <paramref name="expectedSha256"/> is given (the hash the recorder computed while writing) and the
    /// copy does not match, nothing is spooled and <see cref="EvidenceStoreException"/> with
    /// <see cref="EvidenceStoreError.IntegrityMismatch"/> is thrown.
    /// </summary>
    /// <remarks>
    /// When the hash is given and the spool is on the file's file system, the spool takes the file by a
    /// second name (a hard link) instead of a copy, without reading it: the hash is then checked by the
    /// store at upload, and a file that does not match is quarantined, never stored (see
    /// <see cref="TryEnqueueLinkAsync"/>). The file must not be written again.
    /// </remarks>
    public async Task EnqueueFileAsync(EvidenceObjectKey key, string path, string? expectedSha256, CancellationToken cancellationToken)
    {
        if (expectedSha256 is not null && await TryEnqueueLinkAsync(key, path, expectedSha256, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await EnqueueAsync(key, source, expectedSha256, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="EnqueueFileAsync"/>, from a stream read to its end.</summary>
    public async Task EnqueueAsync(EvidenceObjectKey key, Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (key.IsEmpty)
        {
            throw new ArgumentException("The evidence key is empty (default).", nameof(key));
        }

        EvidenceHash.ValidateOptional(expectedSha256, nameof(expectedSha256));
        DateTimeOffset now = _time.GetUtcNow();
        string id = string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}-{Interlocked.Increment(ref _sequence):D8}-{Guid.NewGuid():N}");
        string dataPath = Path.Combine(_spool, id + DataExtension);
        string partial = dataPath + PartialExtension;
        try
        {
            string sha256;
            long size;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                (sha256, size) = await CopyHashingAsync(content, file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            if (expectedSha256 is not null && !EvidenceHash.Equal(expectedSha256, sha256))
            {
                throw new EvidenceStoreException(EvidenceStoreError.IntegrityMismatch, $"{key} hashes to {sha256}, not the {expectedSha256} the recorder wrote; not spooled.");
            }

            File.Move(partial, dataPath);
            await AddAsync(new SpoolEntry(id, key, sha256, size, now, 0, null), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(partial);
            TryDelete(dataPath);
            throw;
        }

        _wake.Release();
    }

    /// <summary>
    /// Spools a closed file by a hard link (link(2)) rather than a copy: false, and nothing spooled,
    /// when that cannot be done (Windows, the spool on another file system, any refusal), so the
    /// caller copies instead.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Copying read, hashed and wrote again every recorded byte, the largest part of what recording
    /// costs after the packet path. A closed segment is never written again (it was flushed to disk
    /// at its close), so a second name for it is as good as a copy: deleting the recording's name
    /// (disposal) or the spool's (after upload) leaves the other.
    /// </para>
    /// <para>
    /// The linked file is journalled with the recorder's hash without being read again here. It is
    /// still checked before anything counts as stored: every store verifies the bytes it is given
    /// against that hash (<see cref="IEvidenceStore.PutAsync"/>'s expected SHA-256, or the linking
    /// store's own read once the object is read-only, <see cref="IEvidenceStoreFileLinking"/>), and the
    /// upload counts only when the store then reports the same size and hash. A file changed after the
    /// recorder hashed it is therefore refused at upload and quarantined, never stored; reading it here
    /// as well would read every segment twice to find the same fault earlier.
    /// </para>
    /// </remarks>
    private async Task<bool> TryEnqueueLinkAsync(EvidenceObjectKey key, string path, string sha256, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || key.IsEmpty)
        {
            return false;
        }

        EvidenceHash.ValidateOptional(sha256, nameof(sha256));
        DateTimeOffset now = _time.GetUtcNow();
        string id = string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}-{Interlocked.Increment(ref _sequence):D8}-{Guid.NewGuid():N}");
        string dataPath = Path.Combine(_spool, id + DataExtension);
        if (!SpoolFileLink.TryCreate(path, dataPath))
        {
            return false;
        }

        try
        {
            long size = new FileInfo(dataPath).Length;
            await AddAsync(new SpoolEntry(id, key, sha256.ToLowerInvariant(), size, now, 0, null), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(dataPath);
            throw;
        }

        Interlocked.Increment(ref _linkedObjects);
        _wake.Release();
        return true;
    }

    /// <summary>Journals a spooled object (its data already in the spool) and queues it for upload.</summary>
    private async Task AddAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        await WriteRecordAsync(entry, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _pending.Add(entry);
        }

        Log.Enqueued(_logger, entry.Key, entry.Size, entry.Sha256);
    }

    /// <summary>
    /// One pass: uploads pending objects in order until the spool is empty or the store fails, then
    /// schedules the next attempt with backoff. Does nothing while backing off. Returns how many were uploaded.
    /// </summary>
    public async Task<int> UploadDueAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                if (_nextAttemptAt is { } due && _time.GetUtcNow() < due)
                {
                    return 0;
                }
            }

            int uploaded = 0;
            while (true)
            {
                SpoolEntry? entry;
                lock (_lock)
                {
                    entry = _pending.Count > 0 ? _pending[0] : null;
                }

                if (entry is null)
                {
                    return uploaded;
                }

                (Outcome outcome, string? error) = await UploadOneAsync(entry, cancellationToken).ConfigureAwait(false);
                switch (outcome)
                {
                    case Outcome.Uploaded:
                        RemoveSpooled(entry);
                        uploaded++;
                        lock (_lock)
                        {
                            _pending.Remove(entry);
                            _consecutiveFailures = 0;
                            _nextAttemptAt = null;
                        }

                        Interlocked.Increment(ref _uploadedObjects);
                        Log.Uploaded(_logger, entry.Key, entry.Size);
                        Uploaded?.Invoke(entry.Key);
                        break;
                    case Outcome.Quarantined:
                        Quarantine(entry, error!);
                        break;
                    default:
                        await BackOffAsync(entry, error!, cancellationToken).ConfigureAwait(false);
                        return uploaded;
                }
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Uploads in the background until disposed: at once for new objects, with backoff while the store fails.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
        _pass.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await UploadDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.PassFailed(_logger, e);
            }

            TimeSpan wait;
            lock (_lock)
            {
                wait = _pending.Count == 0 ? Timeout.InfiniteTimeSpan
                    : _nextAttemptAt is { } due ? Max(due - _time.GetUtcNow(), TimeSpan.Zero)
                    : TimeSpan.Zero;
            }

            if (wait == TimeSpan.Zero)
            {
                continue;
            }

            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task woken = _wake.WaitAsync(delay.Token);
            Task timeout = wait == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, delay.Token) : Task.Delay(wait, _time, delay.Token);
            await Task.WhenAny(woken, timeout).ConfigureAwait(false);
            await delay.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<(Outcome Outcome, string? Error)> UploadOneAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        string dataPath = Path.Combine(_spool, entry.Id + DataExtension);
        try
        {
            long length = new FileInfo(dataPath).Length;
            if (length != entry.Size)
            {
                return (Outcome.Quarantined, $"the spooled copy is {length} bytes, not the {entry.Size} journalled");
            }

            // A store that keeps files on this machine takes the spooled file as it is (a hard link: no
            // second write or fsync of the bytes, issue 5); on another file system, or for any other
            // store, the bytes are copied.
            if (_store is IEvidenceStoreFileLinking linking
                && await linking.TryLinkFileAsync(entry.Key, dataPath, entry.Sha256, cancellationToken).ConfigureAwait(false) is not null)
            {
                Interlocked.Increment(ref _storeLinkedObjects);
            }
            else
            {
                await using var data = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await _store.PutAsync(entry.Key, data, entry.Sha256, cancellationToken).ConfigureAwait(false);
            }

            return await VerifyAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (EvidenceStoreException e) when (e.Error == EvidenceStoreError.AlreadyExists)
        {
            return (Outcome.Quarantined, e.Message);
        }
        catch (EvidenceStoreException e) when (e.Error == EvidenceStoreError.IntegrityMismatch)
        {
            // The store hashed what we sent and it does not match the journal: the spooled copy changed on disk.
            return (Outcome.Quarantined, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Unavailable, a network or protocol failure, a time-out: all worth another try later.
            return (Outcome.Retry, e.Message);
        }
    }

    /// <summary>The store's own answer, not the put's return value, decides: same size, same SHA-256.</summary>
    private async Task<(Outcome Outcome, string? Error)> VerifyAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        EvidenceObjectInfo? info = await _store.GetInfoAsync(entry.Key, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return (Outcome.Retry, $"the store does not show {entry.Key} after the upload");
        }

        if (info.Size != entry.Size)
        {
            return (Outcome.Quarantined, $"the store holds {info.Size} bytes under {entry.Key}, not {entry.Size}");
        }

        string? stored = info.Sha256;
        if (stored is null)
        {
            await using Stream back = await _store.OpenReadAsync(entry.Key, cancellationToken).ConfigureAwait(false);
            (stored, _) = await EvidenceHash.ComputeAsync(back, cancellationToken).ConfigureAwait(false);
        }

        return EvidenceHash.Equal(stored, entry.Sha256)
            ? (Outcome.Uploaded, null)
            : (Outcome.Quarantined, $"the store holds SHA-256 {stored} under {entry.Key}, not {entry.Sha256}");
    }

    private async Task BackOffAsync(SpoolEntry entry, string error, CancellationToken cancellationToken)
    {
        int failures;
        DateTimeOffset next;
        SpoolEntry updated = entry with { Attempts = entry.Attempts + 1, LastError = error };
        Interlocked.Increment(ref _failedAttempts);
        lock (_lock)
        {
            failures = ++_consecutiveFailures;
            next = _time.GetUtcNow() + RetryDelay(failures);
            _nextAttemptAt = next;
            _lastError = error;
            int index = _pending.IndexOf(entry);
            if (index >= 0)
            {
                _pending[index] = updated;
            }
        }

        Log.UploadFailed(_logger, entry.Key, failures, next, error);
        try
        {
            await WriteRecordAsync(updated, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Log.RecordNotUpdated(_logger, entry.Id, e);
        }
    }

    /// <summary>InitialRetryDelay doubled per consecutive failure, capped at MaxRetryDelay.</summary>
    internal TimeSpan RetryDelay(int failures)
    {
        double factor = Math.Pow(2, Math.Min(failures - 1, 30));
        double ticks = Math.Min(_options.InitialRetryDelay.Ticks * factor, _options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private void Recover()
    {
        foreach (string partial in Directory.EnumerateFiles(_spool, "*" + PartialExtension))
        {
            TryDelete(partial);
        }

        var recovered = new List<SpoolEntry>();
        foreach (string recordPath in Directory.EnumerateFiles(_spool, "*" + RecordExtension))
        {
            string id = Path.GetFileNameWithoutExtension(recordPath);
            SpoolEntry? entry = SpoolEntry.TryParse(id, File.ReadAllBytes(recordPath));
            string dataPath = Path.Combine(_spool, id + DataExtension);
            if (entry is null || !File.Exists(dataPath))
            {
                // Never silently drop: keep whatever is there for a person to look at.
                MoveToQuarantine(id);
                Log.QuarantinedOnRecovery(_logger, id, entry is null ? "its journal record is unreadable" : "its spooled bytes are missing");
                continue;
            }

            recovered.Add(entry);
        }

        foreach (string dataPath in Directory.EnumerateFiles(_spool, "*" + DataExtension))
        {
            // Bytes without a record: an enqueue that crashed before it was acknowledged (the recorder
            // still has its file), or an upload that completed and crashed between the two deletes.
            if (!File.Exists(Path.ChangeExtension(dataPath, RecordExtension)))
            {
                TryDelete(dataPath);
            }
        }

        recovered.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        _pending.AddRange(recovered);
        _quarantined = Directory.EnumerateFiles(Path.Combine(_spool, QuarantineFolder), "*" + RecordExtension).Count();
        if (recovered.Count > 0)
        {
            Log.Recovered(_logger, recovered.Count, _spool);
        }
    }

    private void Quarantine(SpoolEntry entry, string error)
    {
        MoveToQuarantine(entry.Id);
        lock (_lock)
        {
            _pending.Remove(entry);
            _quarantined++;
        }

        Log.Quarantined(_logger, entry.Key, error);
    }

    private void MoveToQuarantine(string id)
    {
        string folder = Path.Combine(_spool, QuarantineFolder);
        foreach (string extension in new[] { DataExtension, RecordExtension })
        {
            string from = Path.Combine(_spool, id + extension);
            if (File.Exists(from))
            {
                File.Move(from, Path.Combine(folder, id + extension), overwrite: true);
            }
        }

        SpoolDirectorySync.Flush(folder);
        SpoolDirectorySync.Flush(_spool);
    }

    private void RemoveSpooled(SpoolEntry entry)
    {
        // Record first: bytes without a record are cleaned up on recovery, a record without bytes is not.
        File.Delete(Path.Combine(_spool, entry.Id + RecordExtension));
        File.Delete(Path.Combine(_spool, entry.Id + DataExtension));
        SpoolDirectorySync.Flush(_spool);
    }

    private async Task WriteRecordAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_spool, entry.Id + RecordExtension);
        string partial = path + PartialExtension;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await file.WriteAsync(entry.ToJson(), cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
        SpoolDirectorySync.Flush(_spool);
    }

    private static async Task<(string Sha256, long Size)> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        long size = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                size += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return (EvidenceHash.ToHex(hash.GetHashAndReset()), size);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private enum Outcome
    {
        Uploaded,
        Retry,
        Quarantined,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Spooled {Key} ({Size} bytes, SHA-256 {Sha256}) for upload")]
        public static partial void Enqueued(ILogger logger, EvidenceObjectKey key, long size, string sha256);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Uploaded {Key} ({Size} bytes) and verified it in the evidence store")]
        public static partial void Uploaded(ILogger logger, EvidenceObjectKey key, long size);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Evidence upload of {Key} failed ({Failures} in a row); kept in the spool, next attempt at {NextAttemptAt:O}: {Error}")]
        public static partial void UploadFailed(ILogger logger, EvidenceObjectKey key, int failures, DateTimeOffset nextAttemptAt, string error);

        [LoggerMessage(EventId = 4104, Level = LogLevel.Critical, Message = "Evidence {Key} cannot be uploaded and is kept in the spool's quarantine for a person to resolve: {Error}")]
        public static partial void Quarantined(ILogger logger, EvidenceObjectKey key, string error);

        [LoggerMessage(EventId = 4108, Level = LogLevel.Critical, Message = "Spool entry {Id} moved to quarantine on recovery for a person to resolve: {Error}")]
        public static partial void QuarantinedOnRecovery(ILogger logger, string id, string error);

        [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Recovered {Count} spooled evidence objects waiting for upload in {Spool}")]
        public static partial void Recovered(ILogger logger, int count, string spool);

        [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "An evidence upload pass failed unexpectedly; it will be retried")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Could not update the spool record {Id} after a failed attempt")]
        public static partial void RecordNotUpdated(ILogger logger, string id, Exception exception);
    }
}
