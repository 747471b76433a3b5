using System.Diagnostics.CodeAnalysis;
using Relay.Control.Evidence;
using Relay.Control.Location;
using Relay.Control.Sessions;
using Relay.Recording.Export;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;

namespace Relay.Server.Recording;

/// <summary>
/// Keeps the location trail of sessions that had no media recording (location-only sessions, or a
/// video session whose caller never published) as evidence: once such a session has ended, its whole
/// trail becomes a <see cref="LocationOnlyRecording"/> (no tracks, <c>location.jsonl</c> and a signed
/// manifest) that is catalogued and uploaded like any recording, so export finds it by the session.
/// Sessions with media recordings already carry their trail in each recording.
/// </summary>
internal sealed partial class LocationOnlyEvidence(
    RecordingService recording,
    EvidenceUploader uploader,
    LocationTrailWriter trails,
    ISessionStore sessions,
    IServiceProvider services,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<LocationOnlyEvidence> logger) : BackgroundService
{
    /// <summary>How often ended sessions' trails are looked for (<c>Relay:Evidence:LocationSweepInterval</c>, default 10 s).</summary>
    public TimeSpan Interval { get; } = configuration.GetValue<TimeSpan?>("Relay:Evidence:LocationSweepInterval") is { } interval && interval > TimeSpan.Zero
        ? interval
        : TimeSpan.FromSeconds(10);

    [SuppressMessage("Design", "CA1031", Justification = "A failed sweep is logged and the next one runs.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!recording.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Keeps the trail of every ended session not yet kept; returns how many became recordings.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        ILocationFixLog log = trails.Log;
        int kept = 0;
        foreach (string sessionId in await log.ListSessionsWithoutKeptTrailAsync(100, cancellationToken).ConfigureAwait(false))
        {
            CallSession? session = await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || session.State != SessionState.Ended)
            {
                continue;
            }

            if (await HasMediaRecordingAsync(sessionId, cancellationToken).ConfigureAwait(false))
            {
                await log.MarkTrailKeptAsync(sessionId, Guid.Empty, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            IReadOnlyList<LocationFix> fixes = await log.ReadAsync(sessionId, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), cancellationToken).ConfigureAwait(false);
            if (fixes.Count == 0)
            {
                continue;
            }

            var points = new LocationPoint[fixes.Count];
            for (int i = 0; i < fixes.Count; i++)
            {
                points[i] = new LocationPoint(fixes[i].Time, fixes[i].Latitude, fixes[i].Longitude, fixes[i].Accuracy, null, fixes[i].Heading, fixes[i].Speed);
            }

            Guid recordingId = Guid.CreateVersion7(time.GetUtcNow());
            (string directory, RecordingManifest manifest) = LocationOnlyRecording.Write(
                recording.Directory, sessionId, points, recordingId, Micros(fixes[0].ReceivedAt), Micros(fixes[^1].ReceivedAt), recording.SigningKey);
            await uploader.HandOverAsync(directory, manifest, announce: true).ConfigureAwait(false);
            await log.MarkTrailKeptAsync(sessionId, recordingId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Log.TrailKept(logger, sessionId, recordingId, fixes.Count);
            kept++;
        }

        return kept;
    }

    private async Task<bool> HasMediaRecordingAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (recording.HasRecorded(sessionId))
        {
            return true;
        }

        IEvidenceCatalogue? catalogue = services.GetService<IEvidenceCatalogue>();
        if (catalogue is null)
        {
            return false;
        }

        EvidenceItem? item = await catalogue.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return item is not null && item.Recordings.Any(static r => r.Closed is { Segments: > 0 } || r.Closed is null);
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static partial class Log
    {
        [LoggerMessage(EventId = 4241, Level = LogLevel.Information, Message = "Session {SessionId} had no media recording; its location trail ({Fixes} fixes) is kept as evidence recording {RecordingId}")]
        public static partial void TrailKept(ILogger logger, string sessionId, Guid recordingId, int fixes);

        [LoggerMessage(EventId = 4242, Level = LogLevel.Error, Message = "Looking for ended sessions' location trails to keep failed; retried at the next sweep")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
