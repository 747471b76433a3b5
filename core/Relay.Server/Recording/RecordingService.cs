using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Relay.Media.Streams;
using Relay.Recording.Manifests;
using Relay.Recording.Recorder;
using Relay.Recording.Segments;

namespace Relay.Server.Recording;

/// <summary>
/// Records every stream of the node: at start it loads (or makes) the evidence key and recovers the
/// recordings a previous run left open; each new stream gets a <see cref="StreamRecorder"/> as its
/// tap; at shutdown it waits for the recordings to close and sign their manifests.
/// </summary>
/// <remarks>
/// A publisher that reconnects to this node within the stream's grace period continues the same
/// recording (the same stream). One that reconnects to another node (a cluster concern, not built
/// yet) would start a new recording there for the same session: joining them into one evidence item
/// is for the catalogue, by session id, with the gap between them from the two manifests' times.
/// </remarks>
internal sealed partial class RecordingService : IHostedService, IDisposable, IAsyncDisposable
{
    private readonly RecordingOptions _options;
    private readonly IOptionsMonitor<RecordingOptions> _current;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordingService> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<StreamRecorder, Task> _open = [];
    private readonly HashSet<string> _recordedSessions = new(StringComparer.Ordinal);
    private readonly EvidenceUploader? _uploader;
    private EvidenceSigningKey? _key;

    /// <param name="options">Read at start (directory, key, enabled); the segment length is read again for each new recording, as the Tuning page may change it.</param>
    public RecordingService(IOptionsMonitor<RecordingOptions> options, TimeProvider time, ILogger<RecordingService> logger, EvidenceUploader? uploader = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _current = options;
        _options = options.CurrentValue;
        _time = time;
        _logger = logger;
        _uploader = uploader;
    }

    public RecordingCounters Counters { get; } = new();

    public bool Enabled => _options.Enabled;

    public string Directory => Path.GetFullPath(_options.Directory);

    /// <summary>The key manifests are signed with (loaded or made at start).</summary>
    public EvidenceSigningKey SigningKey
    {
        get
        {
            lock (_lock)
            {
                return _key ??= EvidenceSigningKey.LoadOrCreate(Path.GetFullPath(_options.SigningKeyPath));
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            Log.Disabled(_logger);
            return Task.CompletedTask;
        }

        System.IO.Directory.CreateDirectory(Directory);
        EvidenceSigningKey key = SigningKey;
        IReadOnlyList<RecordingManifest> recovered = RecordingRecovery.RecoverAll(Directory, key, Counters, _logger);
        Log.Started(_logger, Directory, key.PublicKey, recovered.Count);
        // After recovery, so the recordings it just signed are handed over to the evidence store too.
        _uploader?.Start(Directory);
        return Task.CompletedTask;
    }

    /// <summary>A recorder for a new stream of <paramref name="sessionId"/>, or null if recording is off or cannot start.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "A stream must go on even if its recording cannot start; that is logged as critical.")]
    public IRecordingTap? StartRecording(string sessionId)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        try
        {
            var recorder = new StreamRecorder(Directory, sessionId, WriterOptions(), SigningKey, Counters, _time, _logger, _uploader);
            // Open until its hand-over is queued, so shutdown waits for that too (the uploader, disposed
            // after this service, then takes it before it stops rather than leaving it to the next start).
            Task closed = _uploader?.Follow(recorder) ?? recorder.Completion;
            lock (_lock)
            {
                _open.Add(recorder, closed);
                _recordedSessions.Add(sessionId);
            }

            closed.ContinueWith(
                _ =>
                {
                    lock (_lock)
                    {
                        _open.Remove(recorder);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return recorder;
        }
        catch (Exception e)
        {
            Log.StartFailed(_logger, sessionId, e);
            return null;
        }
    }

    /// <summary>Whether a stream of the session has been recorded on this node since it started.</summary>
    public bool HasRecorded(string sessionId)
    {
        lock (_lock)
        {
            return _recordedSessions.Contains(sessionId);
        }
    }

    /// <summary>Recordings whose streams have not yet ended and signed.</summary>
    public int OpenRecordings
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits for the open recordings to close and sign (their streams were ended as the stream
    /// registry, made after this service, was disposed before it; the host starts this service
    /// through <see cref="RecordingServiceStarter"/> so that it is disposed in that order). Those not
    /// signed within <see cref="RecordingOptions.ShutdownTimeout"/> are recovered at the next start.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task[] open;
        lock (_lock)
        {
            open = [.. _open.Values];
        }

        if (open.Length != 0)
        {
            Task all = Task.WhenAll(open);
            if (await Task.WhenAny(all, Task.Delay(_options.ShutdownTimeout, _time)).ConfigureAwait(false) != all)
            {
                // The key is kept: a recording that closes late still signs, if the process lives that long.
                Log.ShutdownTimedOut(_logger, OpenRecordings);
                return;
            }
        }

        Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _key?.Dispose();
            _key = null;
        }
    }

    private SegmentWriterOptions WriterOptions() => new()
    {
        // A changed segment length applies to recordings started from now; an open recording keeps its own.
        SegmentDuration = _current.CurrentValue.SegmentDuration,
        SegmentMaxBytes = _options.SegmentMaxBytes,
        HighWaterBytes = _options.HighWaterBytes,
        OsFlushInterval = _options.OsFlushInterval,
        PreallocationBytes = _options.SegmentPreallocationBytes,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "Recording every stream under {Directory}; manifests signed by evidence key {PublicKey}; {Recovered} recordings left open by the last run recovered")]
        public static partial void Started(ILogger logger, string directory, string publicKey, int recovered);

        [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "Recording is OFF (Relay:Recording:Enabled=false): streams are not kept as evidence")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(EventId = 133, Level = LogLevel.Critical, Message = "The recording of a stream of session {SessionId} could not start; the stream goes on UNRECORDED")]
        public static partial void StartFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = 134, Level = LogLevel.Error, Message = "Shutdown: {Open} recordings did not close in time; they are recovered at the next start")]
        public static partial void ShutdownTimedOut(ILogger logger, int open);
    }
}
