using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;

namespace Relay.Recording.Recorder;

/// <summary>
/// A location-only session's trail kept as evidence: a recording with no tracks and no segments whose
/// directory holds <c>location.jsonl</c> and a signed manifest carrying the trail's SHA-256, so the
/// trail is catalogued, stored, exported and verified exactly as a media recording's trail is.
/// </summary>
public static class LocationOnlyRecording
{
    /// <summary>Writes the recording under <paramref name="recordingsDirectory"/> and returns its directory and signed manifest.</summary>
    public static (string Directory, RecordingManifest Manifest) Write(
        string recordingsDirectory, string sessionId, IReadOnlyList<LocationPoint> points, Guid recordingId, long startMicroseconds, long endMicroseconds, EvidenceSigningKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordingsDirectory);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(key);
        string directory = Path.Combine(recordingsDirectory, recordingId.ToString("D"));
        Directory.CreateDirectory(directory);
        byte[] trail = LocationTrailFile.ToBytes(points);
        string path = Path.Combine(directory, LocationTrailFile.Name);
        using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(trail);
            file.Flush(flushToDisk: true);
        }

        File.Move(path + ".tmp", path, overwrite: true);
        var builder = new RecordingManifestBuilder(recordingId, sessionId, startMicroseconds);
        RecordingManifest manifest = ManifestFiles.WriteSigned(
            directory, builder.Build(Math.Max(startMicroseconds, endMicroseconds), 0, recovered: false, LocationTrailFile.Sha256(trail)), key);
        return (directory, manifest);
    }
}
