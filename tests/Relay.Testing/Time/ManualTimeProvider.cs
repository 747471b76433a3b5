namespace Relay.Testing.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test calls <see cref="Advance"/>, so
/// timers, consent checks and retries are tested without sleeping (YARP's <c>TestTimeProvider</c>
/// plays the same part). Microsoft.Extensions.TimeProvider.Testing's <c>FakeTimeProvider</c> is not
/// served by the package registry here, so this is our own.
/// </summary>
/// <remarks>
/// Timers created through <see cref="CreateTimer"/> fire on the thread that calls
/// <see cref="Advance"/>, in due-time order, each at the instant it was due: advancing by 30 seconds
/// runs a 1-second periodic timer 30 times, with <see cref="GetUtcNow"/> and
/// <see cref="GetTimestamp"/> reading that instant inside each callback. Callbacks run outside the
/// provider's lock, so they may create, change or dispose timers.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    /// <param name="start">The initial UTC time; a fixed default keeps runs repeatable.</param>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>One timestamp tick is one <see cref="TimeSpan"/> tick (100 ns).</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timers created and not yet disposed.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _now.UtcTicks;
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_lock)
            {
                due = NextDue(target);
                if (due is null)
                {
                    _now = target;
                    return;
                }

                _now = due.DueAt;
                due.Fired(_now, ++_sequence);
            }

            due.Invoke();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private ManualTimer? NextDue(DateTimeOffset target)
    {
        ManualTimer? next = null;
        foreach (ManualTimer timer in _timers)
        {
            if (timer.IsScheduled && timer.DueAt <= target
                && (next is null || timer.DueAt < next.DueAt || (timer.DueAt == next.DueAt && timer.Order < next.Order)))
            {
                next = timer;
            }
        }

        return next;
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTimeProvider _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private TimeSpan _period;
        private bool _disposed;

        public ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state)
        {
            _owner = owner;
            _callback = callback;
            _state = state;
        }

        public DateTimeOffset DueAt { get; private set; }

        public bool IsScheduled { get; private set; }

        /// <summary>Breaks ties between timers due at the same instant: earlier scheduled fires first.</summary>
        public long Order { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_owner._lock)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                IsScheduled = dueTime != Timeout.InfiniteTimeSpan;
                DueAt = IsScheduled ? _owner._now + dueTime : default;
                Order = ++_owner._sequence;
                if (!_owner._timers.Contains(this))
                {
                    _owner._timers.Add(this);
                }

                return true;
            }
        }

        /// <summary>Reschedules a periodic timer or stops a one-shot one; called under the owner's lock.</summary>
        public void Fired(DateTimeOffset now, long order)
        {
            bool periodic = _period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero;
            IsScheduled = periodic;
            DueAt = periodic ? now + _period : default;
            Order = order;
        }

        public void Invoke() => _callback(_state);

        public void Dispose()
        {
            lock (_owner._lock)
            {
                _disposed = true;
                IsScheduled = false;
                _owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
