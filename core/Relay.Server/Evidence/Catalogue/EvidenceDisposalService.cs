using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using Relay.Control.Chat;
using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Server.Player;
using Relay.Server.Recording;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>
/// Disposes of evidence whose retention has run out, on a schedule (<see cref="EvidenceDisposalOptions"/>).
/// For each item due and not held: every object of each recording is deleted from the evidence store
/// (leaving the store's tombstone with <see cref="Actor"/> and the reason), then the recording's local
/// directory and the session's snapshots (<see cref="SnapshotStore"/>) and chat (<see cref="ChatHistory"/>), then the
/// catalogue rows and the session's location fixes, with the caller's number redacted on the session and
/// an "erasure" audit entry saying what went and why (one transaction). Only items whose recordings are
/// all closed and confirmed in the store are due (the catalogue decides), so nothing still waiting in
/// the upload spool is disposed of. A failure leaves the item for
/// the next run (objects already deleted stay deleted; the rest are retried) and is logged and counted.
/// </summary>
internal sealed partial class EvidenceDisposalService : BackgroundService
{
    /// <summary>Who disposal acts as, in the store's tombstones and the audit log.</summary>
    public const string Actor = "relay-retention";

    private readonly IEvidenceRetention _retention;
    private readonly IServiceProvider _services;
    private readonly RecordingService _recordings;
    private readonly SnapshotStore _snapshots;
    private readonly ChatHistory _chat;
    private readonly EvidenceDisposalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EvidenceDisposalService> _logger;
    private readonly SemaphoreSlim _running = new(1, 1);
    private long _disposed;
    private long _failures;

    public EvidenceDisposalService(
        IEvidenceRetention retention,
        IServiceProvider services,
        RecordingService recordings,
        SnapshotStore snapshots,
        ChatHistory chat,
        IOptions<EvidenceDisposalOptions> options,
        TimeProvider time,
        ILogger<EvidenceDisposalService> logger)
    {
        _retention = retention;
        _services = services;
        _recordings = recordings;
        _snapshots = snapshots;
        _chat = chat;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Items disposed of since start.</summary>
    public long Disposed => Interlocked.Read(ref _disposed);

    /// <summary>Failed attempts to dispose of an item since start (each is retried next run).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>One run now (the schedule calls it; so can a test or an operator's command). Runs never overlap.</summary>
    public async Task<EvidenceDisposalRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Resolved per run: the evidence store is the upload part's registration, optional here.
            IEvidenceStore? store = _services.GetService<IEvidenceStore>();
            IReadOnlyList<EvidenceDisposal> due = await _retention.FindDueForDisposalAsync(_time.GetUtcNow(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
            int disposed = 0, failed = 0, skipped = 0;
            foreach (EvidenceDisposal disposal in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (await DisposeAsync(store, disposal, cancellationToken).ConfigureAwait(false))
                {
                    case true:
                        disposed++;
                        break;
                    case false:
                        skipped++;
                        break;
                    default:
                        failed++;
                        break;
                }
            }

            if (due.Count > 0)
            {
                Log.RunFinished(_logger, due.Count, disposed, failed, skipped);
            }

            return new EvidenceDisposalRun(due.Count, disposed, failed, skipped);
        }
        finally
        {
            _running.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            Log.Disabled(_logger);
            return;
        }

        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunScheduledAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failed run (the database unavailable) is logged and the schedule goes on.")]
    private async Task RunScheduledAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref _failures);
            Log.RunFailed(_logger, e);
        }
    }

    /// <returns>True when disposed of; false when held or retained meanwhile; null when it failed.</returns>
    [SuppressMessage("Design", "CA1031", Justification = "Any failure leaves the item for the next run; it is logged and counted.")]
    private async Task<bool?> DisposeAsync(IEvidenceStore? store, EvidenceDisposal disposal, CancellationToken cancellationToken)
    {
        EvidenceItem item = disposal.Item;
        try
        {
            long objects = 0, bytes = 0, directories = 0;
            var deletion = new EvidenceDeletion(Actor, disposal.Reason);
            foreach (EvidenceRecording recording in item.Recordings)
            {
                string recordingId = recording.RecordingId.ToString("D");
                if (store is not null)
                {
                    foreach (EvidenceObjectInfo info in await store.ListAsync(recordingId, cancellationToken).ConfigureAwait(false))
                    {
                        try
                        {
                            await store.DeleteAsync(info.Key, deletion, cancellationToken).ConfigureAwait(false);
                        }
                        catch (EvidenceStoreException e) when (e.Error == EvidenceStoreError.NotFound)
                        {
                            continue; // gone since it was listed (another node's run)
                        }

                        objects++;
                        bytes += info.Size;
                    }
                }

                string directory = Path.Combine(_recordings.Directory, recordingId);
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                    directories++;
                }
            }

            // Stills taken from the live video are the session's evidence too. Session ids are hex; anything
            // else is never made into a path.
            int snapshots = 0;
            string snapshotDirectory = Path.Combine(_snapshots.Root, item.Id);
            if (IsPathSafe(item.Id) && Directory.Exists(snapshotDirectory))
            {
                snapshots = Directory.GetFiles(snapshotDirectory).Length;
                Directory.Delete(snapshotDirectory, recursive: true);
            }

            int chatMessages = _chat.Remove(item.Id);
            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["chatMessages"] = chatMessages.ToString(CultureInfo.InvariantCulture),
                ["snapshots"] = snapshots.ToString(CultureInfo.InvariantCulture),
                ["storeObjects"] = objects.ToString(CultureInfo.InvariantCulture),
                ["storeBytes"] = bytes.ToString(CultureInfo.InvariantCulture),
                ["store"] = store is null ? "none configured" : string.Join(",", item.Recordings.Select(static r => r.Store ?? "not uploaded").Distinct()),
                ["localDirectories"] = directories.ToString(CultureInfo.InvariantCulture),
            };
            bool completed = await _retention.CompleteDisposalAsync(disposal, Actor, details, cancellationToken).ConfigureAwait(false);
            if (completed)
            {
                Interlocked.Increment(ref _disposed);
                Log.Disposed(_logger, item.Id, disposal.Basis, objects, directories);
            }
            else
            {
                Log.Skipped(_logger, item.Id);
            }

            return completed;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            Log.DisposalFailed(_logger, item.Id, e);
            return null;
        }
    }

    private static bool IsPathSafe(string id)
    {
        if (id.Length is 0 or > 128)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Evidence disposal is off (Relay:Evidence:Disposal:Enabled): items past their retention stay until it is on")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Disposed of evidence item {ItemId} ({Basis}): {Objects} store objects, {Directories} local recording directories; erasure audited")]
        public static partial void Disposed(ILogger logger, string itemId, string basis, long objects, long directories);

        [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Evidence item {ItemId} was held or retained while being disposed of; it is kept")]
        public static partial void Skipped(ILogger logger, string itemId);

        [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Could not dispose of evidence item {ItemId}; it stays for the next run")]
        public static partial void DisposalFailed(ILogger logger, string itemId, Exception exception);

        [LoggerMessage(EventId = 1504, Level = LogLevel.Error, Message = "The evidence disposal run failed; the next run tries again")]
        public static partial void RunFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "Evidence disposal run: {Due} due, {Disposed} disposed of, {Failed} failed, {Skipped} kept")]
        public static partial void RunFinished(ILogger logger, int due, int disposed, int failed, int skipped);
    }
}
