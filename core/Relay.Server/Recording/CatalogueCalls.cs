using System.Diagnostics.CodeAnalysis;
using Relay.Control.Evidence;

namespace Relay.Server.Recording;

/// <summary>
/// The uploader's calls to the evidence catalogue (a recording started, closed, stored), retried while
/// the node runs when the catalogue fails (database locked, disk full, I/O error): a failed call waits,
/// and every later call about the same recording waits behind it so they land in order (a recording is
/// never closed in the catalogue before it started there). Waiting calls are tried again after
/// <see cref="FirstDelay"/>, doubling to <see cref="MaxDelay"/>. A call the catalogue refuses for good
/// (<see cref="EvidenceCatalogueException"/>: no such session, invalid) is logged and dropped; the
/// recording's later calls go on. The start-up hand-over still replays what a restart lost.
/// </summary>
/// <remarks>
/// Not thread-safe: every method runs on the uploader's one work loop; a retry is posted to that loop
/// through the callback given, never run on the timer's thread.
/// </remarks>
internal sealed partial class CatalogueCalls : IDisposable
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    private readonly IEvidenceCatalogue _catalogue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<Func<CancellationToken, Task>> _post;
    // Recordings with calls waiting, each its calls in order; the oldest first.
    private readonly Dictionary<Guid, Queue<Func<IEvidenceCatalogue, CancellationToken, Task>>> _waiting = [];
    private readonly List<Guid> _order = [];
    private ITimer? _timer;
    private TimeSpan _delay = FirstDelay;
    private long _failures;

    /// <param name="post">Runs work on the uploader's loop (retries are posted through it).</param>
    public CatalogueCalls(IEvidenceCatalogue catalogue, TimeProvider time, ILogger logger, Action<Func<CancellationToken, Task>> post)
    {
        _catalogue = catalogue;
        _time = time;
        _logger = logger;
        _post = post;
    }

    /// <summary>Calls waiting to be tried again.</summary>
    public int Waiting
    {
        get
        {
            int count = 0;
            foreach (Queue<Func<IEvidenceCatalogue, CancellationToken, Task>> calls in _waiting.Values)
            {
                count += calls.Count;
            }

            return count;
        }
    }

    /// <summary>Failed attempts since start (each retried, or dropped if refused for good).</summary>
    public long Failures => _failures;

    /// <summary>Makes <paramref name="call"/> about <paramref name="recordingId"/> now, or after the calls about it that wait.</summary>
    public async Task SendAsync(Guid recordingId, Func<IEvidenceCatalogue, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        if (_waiting.TryGetValue(recordingId, out Queue<Func<IEvidenceCatalogue, CancellationToken, Task>>? queue))
        {
            queue.Enqueue(call);
            return;
        }

        if (!await TryAsync(recordingId, call, cancellationToken).ConfigureAwait(false))
        {
            queue = new Queue<Func<IEvidenceCatalogue, CancellationToken, Task>>();
            queue.Enqueue(call);
            _waiting.Add(recordingId, queue);
            _order.Add(recordingId);
            Schedule();
        }
    }

    /// <summary>Tries the waiting calls again, in order per recording (the timer posts this; tests may call it).</summary>
    public async Task RetryAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        bool failed = false;
        foreach (Guid recordingId in _order.ToArray())
        {
            Queue<Func<IEvidenceCatalogue, CancellationToken, Task>> queue = _waiting[recordingId];
            while (queue.Count > 0)
            {
                if (!await TryAsync(recordingId, queue.Peek(), cancellationToken).ConfigureAwait(false))
                {
                    failed = true;
                    break;
                }

                queue.Dequeue();
            }

            if (queue.Count == 0)
            {
                _waiting.Remove(recordingId);
                _order.Remove(recordingId);
                Log.Caught(_logger, recordingId);
            }
        }

        _delay = failed ? TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, MaxDelay.Ticks)) : FirstDelay;
        if (_waiting.Count > 0)
        {
            Schedule();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }

    // True when done, or refused for good (logged, dropped); false when it should be tried again.
    [SuppressMessage("Design", "CA1031", Justification = "Whatever the catalogue throws, the call waits and is tried again; the recording itself is kept and uploaded.")]
    private async Task<bool> TryAsync(Guid recordingId, Func<IEvidenceCatalogue, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(_catalogue, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EvidenceCatalogueException e)
        {
            _failures++;
            Log.Refused(_logger, recordingId, e);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _failures++;
            Log.Failed(_logger, recordingId, _delay, e);
            return false;
        }
    }

    private void Schedule()
    {
        if (_timer is not null)
        {
            return;
        }

        _timer = _time.CreateTimer(static state => ((CatalogueCalls)state!).Due(), this, _delay, Timeout.InfiniteTimeSpan);
    }

    private void Due() => _post(RetryAsync);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4230, Level = LogLevel.Error, Message = "Recording {RecordingId}: the evidence catalogue could not be told (tried again in {Delay}, with the recording's later catalogue calls after it); the recording itself is kept and uploaded")]
        public static partial void Failed(ILogger logger, Guid recordingId, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 4231, Level = LogLevel.Error, Message = "Recording {RecordingId}: the evidence catalogue refused a call; it is not tried again")]
        public static partial void Refused(ILogger logger, Guid recordingId, Exception exception);

        [LoggerMessage(EventId = 4232, Level = LogLevel.Information, Message = "Recording {RecordingId}: the evidence catalogue has caught up with it")]
        public static partial void Caught(ILogger logger, Guid recordingId);
    }
}
