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
    public ILocationFixLog Log => log;

    /// <summary>
    /// Writes the trail of fixes received from <paramref name="from"/> to <paramref name="to"/>; null (and no
    /// file) when there are none. Synchronous: it runs on the recording writer thread before the manifest is signed.
    /// </summary>
    public string? Write(string sessionId, string directory, DateTimeOffset from, DateTimeOffset to)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        log.Flush();
        IReadOnlyList<LocationFix> fixes = log.Read(sessionId, from, to);
        TimeSpan took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Logs.Read(logger, sessionId, fixes.Count, took.TotalMilliseconds);
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
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return LocationTrailFile.Sha256(bytes);
    }

    private static partial class Logs
    {
        [LoggerMessage(EventId = 4232, Level = LogLevel.Debug, Message = "Session {SessionId}: {Fixes} location fixes for the trail, flushed and read in {Milliseconds} ms")]
        public static partial void Read(ILogger logger, string sessionId, int fixes, double milliseconds);
    }
}
