using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Relay.Media.Streams;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;

namespace Relay.Recording.Recorder;

/// <summary>
/// Records one stream: the <see cref="IRecordingTap"/> a <see cref="MediaStream"/> is given. Packets
/// go to a <see cref="SegmentWriter"/> in the recording's directory; the publisher's reconnects
/// become gaps and new segments; when the stream ends, the last segment is closed and the manifest
/// signed with the node's evidence key.
/// </summary>
/// <remarks>
/// The tap's calls come one at a time under the stream's lock (see <see cref="IRecordingTap"/>);
/// the manifest is built on the writer task, from what travels through the writer in order.
/// Arrival times are the stream clock's timestamps mapped onto UTC once, at the start, so a wall
/// clock step during a recording does not reorder it.
/// </remarks>
public sealed partial class StreamRecorder : IRecordingTap, ISegmentSink, IAsyncDisposable
{
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly EvidenceSigningKey _key;
    private readonly ILogger _logger;
    private readonly RecordingManifestBuilder _manifest;
    private readonly SegmentWriter _writer;
    private readonly long _anchorMicroseconds;
    private readonly long _anchorTimestamp;
    private readonly long _frequency;
    private readonly List<RecordedTrack> _tracks = [];
    private readonly TaskCompletionSource<RecordingManifest?> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IRecordingObserver? _observer;

    private byte[] _map = [];
    private long? _goneAt;
    private bool _attached;
    private long _startMicroseconds;
    private string? _locationTrailSha256;

    /// <summary>Starts a recording of session <paramref name="sessionId"/> in a new directory under <paramref name="recordingsDirectory"/>.</summary>
    public StreamRecorder(
        string recordingsDirectory,
        string sessionId,
        SegmentWriterOptions options,
        EvidenceSigningKey key,
        RecordingCounters counters,
        TimeProvider time,
        ILogger logger,
        IRecordingObserver? observer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordingsDirectory);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        RecordingId = Guid.CreateVersion7(time.GetUtcNow());
        SessionId = sessionId;
        _directory = Path.Combine(recordingsDirectory, RecordingId.ToString("D"));
        _time = time;
        _key = key;
        _logger = logger;
        _observer = observer;
        _frequency = time.TimestampFrequency;
        _anchorTimestamp = time.GetTimestamp();
        _anchorMicroseconds = (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        _manifest = new RecordingManifestBuilder(RecordingId, sessionId, _anchorMicroseconds);
        _writer = new SegmentWriter(_directory, RecordingId, options, counters, logger, this);
    }

    public Guid RecordingId { get; }

    public string SessionId { get; }

    /// <summary>The recording's directory (made when the first publisher attaches).</summary>
    public string Directory => _directory;

    /// <summary>
    /// Completes when the stream has ended and the manifest is signed and written, with the manifest
    /// (null if the stream never had a publisher, so nothing was recorded).
    /// </summary>
    public Task<RecordingManifest?> Completion => _completed.Task;

    /// <summary>The writer (counters, stall state; tests and benchmarks).</summary>
    internal SegmentWriter Writer => _writer;

    /// <summary>The SHA-256 (hex) of the session's location trail, for the manifest; set by the host before the stream ends.</summary>
    public void SetLocationTrailSha256(string? sha256Hex) => Volatile.Write(ref _locationTrailSha256, sha256Hex);

    /// <summary>A stream clock timestamp as microseconds since the Unix epoch.</summary>
    public long ToUnixMicroseconds(long timestamp)
    {
        long elapsed = timestamp - _anchorTimestamp;
        long seconds = elapsed / _frequency;
        long rest = elapsed % _frequency;
        return _anchorMicroseconds + (seconds * 1_000_000) + (rest * 1_000_000 / _frequency);
    }

    public void OnPublisherAttached(IReadOnlyList<PublishedTrack> tracks, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        long at = ToUnixMicroseconds(timestamp);
        byte[] map = new byte[tracks.Count];
        for (int i = 0; i < tracks.Count; i++)
        {
            map[i] = FindOrAddTrack(tracks[i]);
        }

        if (_goneAt is long gone)
        {
            _writer.AddGap(new RecordingGap(gone, at, RecordingGapReason.PublisherReconnect));
            _goneAt = null;
        }

        if (!_attached)
        {
            _attached = true;
            Volatile.Write(ref _startMicroseconds, at);
        }

        _map = map;
        _writer.ChangeTracks(_tracks, at);
    }

    public void OnRtp(int trackIndex, long timestamp, ReadOnlySpan<byte> packet)
    {
        byte[] map = _map;
        if ((uint)trackIndex < (uint)map.Length && map[trackIndex] != byte.MaxValue)
        {
            _writer.TryAppend(ToUnixMicroseconds(timestamp), map[trackIndex], RecordedPacketKind.Rtp, packet);
        }
    }

    public void OnRtcp(int trackIndex, long timestamp, ReadOnlySpan<byte> packet)
    {
        byte[] map = _map;
        if ((uint)trackIndex < (uint)map.Length && map[trackIndex] != byte.MaxValue)
        {
            _writer.TryAppend(ToUnixMicroseconds(timestamp), map[trackIndex], RecordedPacketKind.Rtcp, packet);
        }
    }

    public void OnPublisherGone(long timestamp)
    {
        long at = ToUnixMicroseconds(timestamp);
        _goneAt = at;
        _writer.CloseSegment(at);
    }

    public void OnEnded(long timestamp) => _writer.Complete(_goneAt ?? ToUnixMicroseconds(timestamp));

    /// <summary>Ends the recording (if its stream has not) and waits for the manifest.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _completed.Task.ConfigureAwait(false);
    }

    void ISegmentSink.OnTracksChanged(IReadOnlyList<RecordedTrack> tracks)
    {
        if (_manifest.Tracks.Count == 0)
        {
            System.IO.Directory.CreateDirectory(_directory);
            _manifest.StartMicroseconds = Volatile.Read(ref _startMicroseconds);
            _manifest.Tracks = tracks;
            WriteJournal();
            _observer?.OnStarted(this, _manifest.StartMicroseconds);
            return;
        }

        _manifest.Tracks = tracks;
        WriteJournal();
    }

    void ISegmentSink.OnSegmentClosed(SegmentInfo segment)
    {
        _manifest.AddSegment(segment);
        WriteJournal();
        _observer?.OnSegmentClosed(this, segment);
    }

    void ISegmentSink.OnGap(RecordingGap gap)
    {
        _manifest.AddGap(gap);
        WriteJournal();
    }

    void ISegmentSink.OnCompleted(long endMicroseconds)
    {
        if (_manifest.Tracks.Count == 0)
        {
            _completed.TrySetResult(null);
            return;
        }

        WriteTrail(endMicroseconds);
        Sign(endMicroseconds);
    }

    [SuppressMessage("Design", "CA1031", Justification = "A trail that cannot be written is logged; the manifest is still signed (without a trail hash).")]
    private void WriteTrail(long endMicroseconds)
    {
        if (_observer is null)
        {
            return;
        }

        try
        {
            string? sha256 = _observer.WriteLocationTrail(this, _manifest.StartMicroseconds, endMicroseconds);
            if (sha256 is not null)
            {
                SetLocationTrailSha256(sha256);
            }
        }
        catch (Exception e)
        {
            Log.TrailFailed(_logger, RecordingId, e);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A failure to sign is logged; the recording's journal stays for recovery at the next start.")]
    private void Sign(long endMicroseconds)
    {
        try
        {
            RecordingManifest manifest = ManifestFiles.WriteSigned(
                _directory, _manifest.Build(endMicroseconds, _writer.DroppedPackets, recovered: false, Volatile.Read(ref _locationTrailSha256)), _key);
            Log.RecordingClosed(_logger, RecordingId, SessionId, manifest.Segments.Count, manifest.DroppedPackets);
            _completed.TrySetResult(manifest);
        }
        catch (Exception e)
        {
            Log.ManifestFailed(_logger, RecordingId, e);
            _completed.TrySetResult(null);
        }
    }

    private byte FindOrAddTrack(PublishedTrack track)
    {
        for (int i = 0; i < _tracks.Count; i++)
        {
            RecordedTrack known = _tracks[i];
            if (known.Kind == track.Kind && known.Codec == track.Codec && known.ClockRate == track.ClockRate && known.PayloadType == track.PayloadType
                && known.Channels == track.Channels && string.Equals(known.FormatParameters, track.FormatParameters, StringComparison.Ordinal))
            {
                return known.Index;
            }
        }

        if (_tracks.Count >= byte.MaxValue)
        {
            return byte.MaxValue;
        }

        var added = new RecordedTrack((byte)_tracks.Count, track.Kind, track.Codec, track.ClockRate, track.PayloadType, track.Channels, track.FormatParameters);
        _tracks.Add(added);
        return added.Index;
    }

    private void WriteJournal()
    {
        try
        {
            ManifestFiles.WriteOpen(_directory, _manifest.Build(null, _writer.DroppedPackets, recovered: false, Volatile.Read(ref _locationTrailSha256)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.JournalFailed(_logger, RecordingId, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Recording {RecordingId} of session {SessionId} closed: {Segments} segments, manifest signed; {DroppedPackets} packets dropped")]
        public static partial void RecordingClosed(ILogger logger, Guid recordingId, string sessionId, int segments, long droppedPackets);

        [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Recording {RecordingId}: the manifest journal could not be written; crash recovery may need to rebuild it from the segments")]
        public static partial void JournalFailed(ILogger logger, Guid recordingId, Exception exception);

        [LoggerMessage(EventId = 113, Level = LogLevel.Critical, Message = "Recording {RecordingId}: the manifest could not be signed and written; the journal is kept for recovery at the next start")]
        public static partial void ManifestFailed(ILogger logger, Guid recordingId, Exception exception);

        [LoggerMessage(EventId = 114, Level = LogLevel.Error, Message = "Recording {RecordingId}: the location trail could not be written; the manifest is signed without it")]
        public static partial void TrailFailed(ILogger logger, Guid recordingId, Exception exception);
    }
}
