using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;
using Relay.Recording.Upload;
using Relay.Server.Evidence.Store;

namespace Relay.Server.Recording;

/// <summary>
/// Carries every recording to the evidence store: each closed segment, the location trail and the
/// signed manifest go into the <see cref="EvidenceUploadSpool"/> (durable, retried, verified), and
/// the catalogue (<see cref="IEvidenceCatalogue"/>, when one is registered) hears that a recording
/// started, closed (with the manifest's SHA-256) and was stored (every object confirmed by the store).
/// </summary>
/// <remarks>
/// <para>
/// Nothing here runs on the packet path or the recording writer thread: the recorder's callbacks only
/// queue work for one background loop, which copies files into the spool; the spool uploads on its own
/// loop. A slow or dead store therefore never slows forwarding or recording; objects wait in the spool.
/// </para>
/// <para>
/// A recording counts as handed over once its manifest is in the spool: a marker
/// (<c>{spool}/handed-over/{recordingId}</c>) is written then. At start every recording directory with a
/// signed manifest and no marker (crash-recovered ones, or ones a crash interrupted while being spooled)
/// is handed over again: enqueuing the same bytes twice is harmless, the store is write-once and
/// accepts an identical put. The manifest is always a recording's last object, and the spool uploads
/// in order, so once the manifest is confirmed the store's listing is checked against it and the
/// catalogue told the recording is stored.
/// </para>
/// </remarks>
internal sealed partial class EvidenceUploader : IRecordingObserver, IHostedService, IAsyncDisposable
{
    private const string HandedOverFolder = "handed-over";

    private readonly EvidenceUploadOptions _options;
    private readonly LocationTrailWriter? _trails;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<EvidenceUploader> _logger;
    private readonly string _nodeId;
    private readonly Channel<Func<CancellationToken, Task>> _work = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Guid> _failed = [];
    private EvidenceStoreSelection? _store;
    private EvidenceUploadSpool? _spool;
    private CatalogueCalls? _catalogue;
    private Task? _loop;
    private string _recordings = "";
    private long _storedRecordings;
    private long _enqueueFailures;

    public EvidenceUploader(
        IOptions<EvidenceUploadOptions> options,
        IConfiguration configuration,
        IServiceProvider services,
        TimeProvider time,
        ILoggerFactory loggers,
        LocationTrailWriter? trails = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        _options = options.Value;
        _trails = trails;
        _services = services;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<EvidenceUploader>();
        string? node = configuration["Relay:NodeId"];
        _nodeId = string.IsNullOrWhiteSpace(node) ? Environment.MachineName : node;
    }

    /// <summary>The spool's state (empty before start).</summary>
    public EvidenceUploadStatus Status => _spool?.Status ?? new EvidenceUploadStatus(0, 0, 0, 0, null, null);

    /// <summary>Failed upload attempts since start.</summary>
    public long FailedAttempts => _spool?.FailedAttempts ?? 0;

    /// <summary>Objects confirmed in the store since start.</summary>
    public long UploadedObjects => _spool?.UploadedObjects ?? 0;

    /// <summary>Recordings confirmed whole in the store since start.</summary>
    public long StoredRecordings => Interlocked.Read(ref _storedRecordings);

    /// <summary>Closed files that could not be copied into the spool (they stay in the recording and are handed over again at the next start).</summary>
    public long EnqueueFailures => Interlocked.Read(ref _enqueueFailures);


    /// <summary>Opens the spool (recovering what the last run left), hands over recordings not yet handed over under <paramref name="recordingsDirectory"/>, and starts uploading.</summary>
    public void Start(string recordingsDirectory)
    {
        _recordings = recordingsDirectory;
        // Made here, at the host's start, not when the service is built: a broken data directory is then
        // reported as the database's failure first, and a store that cannot be made stops the start.
        _store = _services.GetRequiredService<EvidenceStoreSelection>();
        IEvidenceCatalogue? catalogue = _services.GetService<IEvidenceCatalogue>();
        _catalogue = catalogue is null ? null : new CatalogueCalls(catalogue, _time, _loggers.CreateLogger<CatalogueCalls>(), Post);
        _spool = new EvidenceUploadSpool(_store.Store, _options, _time, _loggers.CreateLogger<EvidenceUploadSpool>());
        _spool.Uploaded = OnUploaded;
        Directory.CreateDirectory(Path.Combine(_options.SpoolDirectory, HandedOverFolder));
        Post(HandOverLeftoversAsync);
        _loop = Task.Run(() => RunAsync(_stop.Token));
        _spool.Start();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Hands the queued work over (bounded), then stops; what was not spooled is handed over at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.ShutdownTimedOut(_logger);
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _catalogue?.Dispose();
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>Follows <paramref name="recorder"/> to its end: then hands over its trail and manifest. The task completes once that work is queued.</summary>
    public Task Follow(StreamRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return recorder.Completion.ContinueWith(
            completed =>
            {
                if (completed.IsCompletedSuccessfully && completed.Result is { } manifest)
                {
                    Post(ct => HandOverAsync(recorder.Directory, manifest, ct));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Hands over a recording made outside a stream (a location-only session's trail): catalogue started and closed, objects spooled.</summary>
    public Task HandOverAsync(string directory, RecordingManifest manifest, bool announce)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async ct =>
        {
            try
            {
                if (announce)
                {
                    var started = new RecordingStarted(manifest.RecordingId, manifest.SessionId, _nodeId, ToTime(manifest.StartMicroseconds));
                    await NotifyAsync(manifest.RecordingId, (c, t) => c.RecordingStartedAsync(started, t), ct).ConfigureAwait(false);
                }

                await HandOverAsync(directory, manifest, ct).ConfigureAwait(false);
            }
            finally
            {
                done.TrySetResult();
            }
        });
        return done.Task;
    }

    void IRecordingObserver.OnStarted(StreamRecorder recorder, long startMicroseconds)
    {
        var started = new RecordingStarted(recorder.RecordingId, recorder.SessionId, _nodeId, ToTime(startMicroseconds));
        Post(ct => NotifyAsync(started.RecordingId, (c, t) => c.RecordingStartedAsync(started, t), ct));
    }

    void IRecordingObserver.OnSegmentClosed(StreamRecorder recorder, SegmentInfo segment)
    {
        Guid id = recorder.RecordingId;
        string path = Path.Combine(recorder.Directory, segment.FileName);
        string sha256 = EvidenceHash.ToHex(segment.Sha256);
        Post(ct => EnqueueAsync(id, path, segment.FileName, sha256, ct));
    }

    string? IRecordingObserver.WriteLocationTrail(StreamRecorder recorder, long startMicroseconds, long endMicroseconds) =>
        _trails?.Write(recorder.SessionId, recorder.Directory, ToTime(startMicroseconds), ToTime(endMicroseconds));

    private void Post(Func<CancellationToken, Task> work)
    {
        if (!_work.Writer.TryWrite(work))
        {
            Log.NotHandedOver(_logger);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "One failed hand-over is logged (and redone at the next start); the loop must go on.")]
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (Func<CancellationToken, Task> work in _work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await work(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Log.WorkFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandOverAsync(string directory, RecordingManifest manifest, CancellationToken cancellationToken)
    {
        Guid id = manifest.RecordingId;
        string manifestPath = Path.Combine(directory, ManifestFiles.Signed);
        byte[] manifestBytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        string manifestSha256 = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
        var closed = new RecordingClosed(
            id,
            ToTime(manifest.EndMicroseconds ?? manifest.StartMicroseconds),
            manifest.Segments.Count,
            manifest.Segments.Sum(static s => s.Length),
            manifest.ChainHash,
            manifestSha256,
            manifest.Gaps.Count,
            manifest.Recovered);
        await NotifyAsync(id, (c, t) => c.RecordingClosedAsync(closed, t), cancellationToken).ConfigureAwait(false);
        if (manifest.LocationTrailSha256 is not null)
        {
            await EnqueueAsync(id, Path.Combine(directory, LocationTrailFile.Name), LocationTrailFile.Name, manifest.LocationTrailSha256, cancellationToken).ConfigureAwait(false);
        }

        await EnqueueAsync(id, manifestPath, ManifestFiles.Signed, manifestSha256, cancellationToken).ConfigureAwait(false);
        bool failed;
        lock (_failed)
        {
            failed = _failed.Remove(id);
        }

        if (failed)
        {
            Log.HandOverIncomplete(_logger, id);
            return;
        }

        await File.WriteAllBytesAsync(MarkerPath(id), [], cancellationToken).ConfigureAwait(false);
    }

    // Recordings signed by crash recovery at this start, or whose hand-over a crash interrupted.
    [SuppressMessage("Design", "CA1031", Justification = "One recording that cannot be handed over must not stop the others; it is logged.")]
    private async Task HandOverLeftoversAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_recordings))
        {
            return;
        }

        foreach (string directory in Directory.EnumerateDirectories(_recordings))
        {
            string manifestPath = Path.Combine(directory, ManifestFiles.Signed);
            if (!Guid.TryParse(Path.GetFileName(directory), out Guid id) || File.Exists(MarkerPath(id)) || !File.Exists(manifestPath))
            {
                continue;
            }

            try
            {
                byte[] bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
                if (!ManifestJson.TryReadSigned(bytes, out RecordingManifest? manifest, out _, out _, out string? error))
                {
                    Log.LeftoverUnreadable(_logger, directory, error);
                    continue;
                }

                foreach (ManifestSegment segment in manifest!.Segments)
                {
                    await EnqueueAsync(id, Path.Combine(directory, segment.FileName), segment.FileName, segment.Sha256, cancellationToken).ConfigureAwait(false);
                }

                await HandOverAsync(directory, manifest, cancellationToken).ConfigureAwait(false);
                Log.LeftoverHandedOver(_logger, id, manifest.Segments.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LeftoverFailed(_logger, directory, e);
            }
        }
    }

    private async Task EnqueueAsync(Guid recordingId, string path, string name, string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await _spool!.EnqueueFileAsync(EvidenceObjectKey.Create(recordingId.ToString("D"), name), path, sha256, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EvidenceStoreException)
        {
            Interlocked.Increment(ref _enqueueFailures);
            lock (_failed)
            {
                _failed.Add(recordingId);
            }

            Log.EnqueueFailed(_logger, recordingId, name, e);
        }
    }

    private void OnUploaded(EvidenceObjectKey key)
    {
        if (key.Name == ManifestFiles.Signed && Guid.TryParse(key.RecordingId, out Guid id))
        {
            Post(ct => ConfirmStoredAsync(id, ct));
        }
    }

    /// <summary>The store's own listing, against the manifest it holds, decides whether the recording is whole there.</summary>
    private async Task ConfirmStoredAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        EvidenceStoreSelection selection = _store!;
        IEvidenceStore store = selection.Store;
        string recording = recordingId.ToString("D");
        byte[] bytes;
        await using (Stream manifestStream = await store.OpenReadAsync(EvidenceObjectKey.Create(recording, ManifestFiles.Signed), cancellationToken).ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await manifestStream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            bytes = copy.ToArray();
        }

        if (!ManifestJson.TryReadSigned(bytes, out RecordingManifest? manifest, out _, out _, out string? error))
        {
            Log.StoredManifestUnreadable(_logger, recordingId, error);
            return;
        }

        IReadOnlyList<EvidenceObjectInfo> held = await store.ListAsync(recording, cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(held.Select(static o => o.Key.Name), StringComparer.Ordinal);
        var missing = manifest!.Segments.Select(static s => s.FileName)
            .Concat(manifest.LocationTrailSha256 is null ? [] : [LocationTrailFile.Name])
            .Where(n => !names.Contains(n))
            .ToList();
        if (missing.Count > 0)
        {
            Log.StoredIncomplete(_logger, recordingId, string.Join(", ", missing));
            return;
        }

        Interlocked.Increment(ref _storedRecordings);
        DateTimeOffset storedAt = _time.GetUtcNow();
        await NotifyAsync(recordingId, (c, t) => c.RecordingStoredAsync(recordingId, selection.Name, storedAt, t), cancellationToken).ConfigureAwait(false);
        Log.Stored(_logger, recordingId, selection.Name, held.Count);
    }

    // In order per recording; a failed call is retried while the node runs (CatalogueCalls).
    private Task NotifyAsync(Guid recordingId, Func<IEvidenceCatalogue, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        _catalogue is null ? Task.CompletedTask : _catalogue.SendAsync(recordingId, call, cancellationToken);

    private string MarkerPath(Guid recordingId) => Path.Combine(_options.SpoolDirectory, HandedOverFolder, recordingId.ToString("D"));

    private static DateTimeOffset ToTime(long unixMicroseconds) => DateTimeOffset.UnixEpoch.AddTicks(unixMicroseconds * 10);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4211, Level = LogLevel.Critical, Message = "Recording {RecordingId}: {Name} could not be copied into the evidence upload spool; it stays in the recording and is handed over again at the next start")]
        public static partial void EnqueueFailed(ILogger logger, Guid recordingId, string name, Exception exception);

        [LoggerMessage(EventId = 4212, Level = LogLevel.Error, Message = "Recording {RecordingId} was not handed over whole to the upload spool; it is handed over again at the next start")]
        public static partial void HandOverIncomplete(ILogger logger, Guid recordingId);

        [LoggerMessage(EventId = 4213, Level = LogLevel.Warning, Message = "Recording {RecordingId} ({Segments} segments) from before this start handed over to the evidence upload spool")]
        public static partial void LeftoverHandedOver(ILogger logger, Guid recordingId, int segments);

        [LoggerMessage(EventId = 4214, Level = LogLevel.Error, Message = "Recording {Directory} has an unreadable signed manifest ({Error}); it is not uploaded")]
        public static partial void LeftoverUnreadable(ILogger logger, string directory, string? error);

        [LoggerMessage(EventId = 4215, Level = LogLevel.Error, Message = "Recording {Directory} could not be handed over to the evidence upload spool")]
        public static partial void LeftoverFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(EventId = 4216, Level = LogLevel.Information, Message = "Recording {RecordingId} is whole in evidence store {Store} ({Objects} objects)")]
        public static partial void Stored(ILogger logger, Guid recordingId, string store, int objects);

        [LoggerMessage(EventId = 4217, Level = LogLevel.Error, Message = "Recording {RecordingId}: its manifest is in the store but these objects are not: {Missing}")]
        public static partial void StoredIncomplete(ILogger logger, Guid recordingId, string missing);

        [LoggerMessage(EventId = 4218, Level = LogLevel.Error, Message = "Recording {RecordingId}: the manifest read back from the store is unreadable ({Error})")]
        public static partial void StoredManifestUnreadable(ILogger logger, Guid recordingId, string? error);

        [LoggerMessage(EventId = 4220, Level = LogLevel.Error, Message = "Evidence hand-over work failed")]
        public static partial void WorkFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4221, Level = LogLevel.Warning, Message = "Shutdown: evidence hand-over did not finish in time; the rest is handed over at the next start")]
        public static partial void ShutdownTimedOut(ILogger logger);

        [LoggerMessage(EventId = 4222, Level = LogLevel.Warning, Message = "Evidence hand-over work arrived after shutdown; it is done at the next start")]
        public static partial void NotHandedOver(ILogger logger);
    }
}
