using Relay.Control.Location;
using Relay.Recording.Export;
using Relay.Recording.Location;

namespace Relay.Server.Recording;

/// <summary>
/// Writes a session's location trail for a time span into a recording's directory as the canonical
/// <c>location.jsonl</c> (<see cref="LocationTrailFile"/>), from the fixes kept durably in
/// <see cref="ILocationFixLog"/>; its SHA-256 goes into the recording's signed manifest.
/// </summary>
internal sealed partial class LocationTrailWriter(ILocationFixLog log, ILogger<LocationTrailWriter> logger)
{
    /// <summary>How long to wait for fixes still queued for the database before writing the trail.</summary>
    private static readonly TimeSpan s_flushWait = TimeSpan.FromSeconds(5);

    public ILocationFixLog Log => log;

    /// <summary>Writes the trail of fixes received from <paramref name="from"/> to <paramref name="to"/>; null (and no file) when there are none.</summary>
    public async Task<string?> WriteAsync(string sessionId, string directory, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(s_flushWait);
            try
            {
                await log.FlushAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Logs.FlushTimedOut(logger, sessionId);
            }
        }

        IReadOnlyList<LocationFix> fixes = await log.ReadAsync(sessionId, from, to, cancellationToken).ConfigureAwait(false);
        if (fixes.Count == 0)
        {
            return null;
        }

        var points = new LocationPoint[fixes.Count];
        for (int i = 0; i < fixes.Count; i++)
        {
            LocationFix fix = fixes[i];
            points[i] = new LocationPoint(fix.Time, fix.Latitude, fix.Longitude, fix.Accuracy, null, fix.Heading, fix.Speed);
        }

        byte[] bytes = LocationTrailFile.ToBytes(points);
        string path = Path.Combine(directory, LocationTrailFile.Name);
        string temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return LocationTrailFile.Sha256(bytes);
    }

    private static partial class Logs
    {
        [LoggerMessage(EventId = 4231, Level = LogLevel.Warning, Message = "Session {SessionId}: location fixes still queued for the database after 5 s; the trail is written from what is stored")]
        public static partial void FlushTimedOut(ILogger logger, string sessionId);
    }
}
