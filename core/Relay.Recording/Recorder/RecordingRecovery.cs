using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;

namespace Relay.Recording.Recorder;

/// <summary>
/// At start, closes the recordings a previous run left open (it was killed, or the machine lost
/// power): every recording directory with a journal and no signed manifest. Segments the journal
/// lists are kept as listed; the others are recovered (cut after their last whole record, closed,
/// hashed) and flagged; the manifest is chained over all of them, flagged recovered and signed.
/// </summary>
public static partial class RecordingRecovery
{
    /// <summary>Recovers every open recording under <paramref name="recordingsDirectory"/>; returns their new manifests.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "One recording that cannot be recovered must not stop the others, or the node's start; it is logged.")]
    public static IReadOnlyList<RecordingManifest> RecoverAll(string recordingsDirectory, EvidenceSigningKey key, RecordingCounters counters, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(logger);
        var recovered = new List<RecordingManifest>();
        if (!Directory.Exists(recordingsDirectory))
        {
            return recovered;
        }

        foreach (string directory in Directory.EnumerateDirectories(recordingsDirectory))
        {
            if (File.Exists(Path.Combine(directory, ManifestFiles.Signed)))
            {
                continue;
            }

            bool hasJournal = File.Exists(Path.Combine(directory, ManifestFiles.Open));
            if (!hasJournal && !Directory.EnumerateFiles(directory, "*" + SegmentFormat.FileExtension).Any())
            {
                continue;
            }

            try
            {
                RecordingManifest? manifest = Recover(directory, key, logger);
                if (manifest is not null)
                {
                    counters.OnRecordingRecovered();
                    recovered.Add(manifest);
                }
            }
            catch (Exception e)
            {
                Log.RecoveryFailed(logger, directory, e);
            }
        }

        return recovered;
    }

    /// <summary>Recovers one recording directory; null if there is nothing in it to recover.</summary>
    public static RecordingManifest? Recover(string directory, EvidenceSigningKey key, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(logger);
        RecordingManifest? journal = null;
        string journalPath = Path.Combine(directory, ManifestFiles.Open);
        if (File.Exists(journalPath) && !ManifestJson.TryReadCanonical(File.ReadAllBytes(journalPath), out journal, out string? error))
        {
            Log.JournalUnreadable(logger, directory, error);
        }

        var listed = new Dictionary<string, ManifestSegment>(StringComparer.Ordinal);
        foreach (ManifestSegment segment in journal?.Segments ?? [])
        {
            listed[segment.FileName] = segment;
        }

        string[] files = Directory.GetFiles(directory, "*" + SegmentFormat.FileExtension);
        Array.Sort(files, StringComparer.Ordinal);
        Guid? recordingId = journal?.RecordingId;
        IReadOnlyList<RecordedTrack> tracks = journal?.Tracks ?? [];
        long? start = journal?.StartMicroseconds;
        var infos = new List<SegmentInfo>();
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            if (listed.TryGetValue(name, out ManifestSegment? known))
            {
                infos.Add(new SegmentInfo(
                    known.Index, known.FileName, known.StartMicroseconds, known.EndMicroseconds, known.Length, known.PacketCount, Convert.FromHexString(known.Sha256), known.Recovered, known.DiscardedBytes));
                continue;
            }

            SegmentReader header = SegmentReader.Open(file);
            SegmentInfo? info = SegmentRecovery.Recover(file);
            if (info is null || header.Header is null)
            {
                Log.SegmentUnrecoverable(logger, file, header.Error);
                continue;
            }

            recordingId ??= header.Header.RecordingId;
            start ??= header.Header.StartMicroseconds;
            if (header.Header.Tracks.Count > tracks.Count)
            {
                tracks = header.Header.Tracks;
            }

            if (info.Recovered)
            {
                Log.SegmentRecovered(logger, file, info.PacketCount, info.DiscardedBytes);
            }

            infos.Add(info);
        }

        if (recordingId is null)
        {
            return null;
        }

        infos.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var builder = new RecordingManifestBuilder(recordingId.Value, journal?.SessionId ?? "unknown", start ?? 0) { Tracks = tracks };
        foreach (SegmentInfo info in infos)
        {
            builder.AddSegment(info);
        }

        foreach (RecordingGap gap in journal?.Gaps ?? [])
        {
            builder.AddGap(gap);
        }

        long end = infos.Count == 0 ? start ?? 0 : infos[^1].EndMicroseconds;
        RecordingManifest manifest = ManifestFiles.WriteSigned(
            directory, builder.Build(end, journal?.DroppedPackets ?? 0, recovered: true, journal?.LocationTrailSha256), key);
        Log.RecordingRecovered(logger, manifest.RecordingId, manifest.SessionId, manifest.Segments.Count);
        return manifest;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Recording {RecordingId} of session {SessionId} was left open by the last run; recovered and signed with {Segments} segments")]
        public static partial void RecordingRecovered(ILogger logger, Guid recordingId, string sessionId, int segments);

        [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Segment {Path} recovered: {Packets} whole packets kept, {DiscardedBytes} bytes of a torn record cut off")]
        public static partial void SegmentRecovered(ILogger logger, string path, long packets, long discardedBytes);

        [LoggerMessage(EventId = 123, Level = LogLevel.Error, Message = "Segment {Path} cannot be recovered ({Error}); it is left as it is")]
        public static partial void SegmentUnrecoverable(ILogger logger, string path, string? error);

        [LoggerMessage(EventId = 124, Level = LogLevel.Error, Message = "The journal of recording {Directory} is unreadable ({Error}); the manifest is rebuilt from the segments")]
        public static partial void JournalUnreadable(ILogger logger, string directory, string? error);

        [LoggerMessage(EventId = 125, Level = LogLevel.Critical, Message = "Recording {Directory} could not be recovered")]
        public static partial void RecoveryFailed(ILogger logger, string directory, Exception exception);
    }
}
