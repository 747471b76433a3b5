namespace Relay.Media;

/// <summary>
/// Merges the keyframe requests (PLI, FIR) of every viewer of one stream, and those of the relay's own
/// <see cref="KeyframeGate"/>s, into at most one request to the publisher per interval. A phone on
/// mobile data pays for every keyframe in bits and picture quality; ten viewers joining at once must
/// not cost ten keyframes.
/// </summary>
/// <remarks>
/// <para>
/// A request arriving when none has been sent for <see cref="Interval"/> is sent at once. One arriving
/// sooner is held as pending, not forgotten: <see cref="Poll"/> sends it when the interval has passed,
/// unless a keyframe arrives first (<see cref="OnKeyframeReceived"/>), which answers every request made
/// before it. Held requests merge into one: a FIR if any of them was a FIR, else a PLI. Call
/// <see cref="Poll"/> from the worker's timer, at <see cref="PendingDueAt"/> or on every tick.
/// </para>
/// <para>
/// Each FIR sent carries the next command sequence number, modulo 256 (RFC 5104 section 4.3.1.1: the
/// number increases by one for each new request from this source to this target). Times are
/// <see cref="TimeProvider.GetTimestamp"/> ticks. Single owner: the worker thread that owns the stream
/// calls every member.
/// </para>
/// </remarks>
public sealed class KeyframeRequestCoalescer
{
    /// <summary>Default least time between two requests to the publisher.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    private readonly long _intervalTicks;
    private bool _hasSent;
    private long _lastSent;
    private bool _pending;
    private KeyframeRequestKind _pendingKind;
    private byte _nextFirSequenceNumber;

    /// <param name="timeProvider">Source of the timestamp frequency the caller's times use.</param>
    /// <param name="interval">Least time between two requests to the publisher; default 500 ms.</param>
    /// <param name="firstFirSequenceNumber">The command sequence number of the first FIR sent.</param>
    public KeyframeRequestCoalescer(TimeProvider timeProvider, TimeSpan? interval = null, byte firstFirSequenceNumber = 0)
    {
        long frequency = MediaTime.FrequencyOf(timeProvider);
        Interval = interval ?? DefaultInterval;
        _intervalTicks = MediaTime.ToTicks(Interval, frequency, nameof(interval));
        _nextFirSequenceNumber = firstFirSequenceNumber;
    }

    /// <summary>Least time between two requests to the publisher.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Whether a held request waits for the interval to pass.</summary>
    public bool HasPending => _pending;

    /// <summary>When a held request becomes due; meaningful only when <see cref="HasPending"/>.</summary>
    public long PendingDueAt => _lastSent + _intervalTicks;

    /// <summary>Requests sent to the publisher.</summary>
    public long Sent { get; private set; }

    /// <summary>Requests merged into another or answered by a keyframe before they were due.</summary>
    public long Coalesced { get; private set; }

    /// <summary>A viewer (or a gate) asks for a keyframe. Returns the request to send now, if any.</summary>
    public KeyframeRequest OnRequest(KeyframeRequestKind kind, long now)
    {
        if (_pending)
        {
            Coalesced++;
            if (kind == KeyframeRequestKind.Fir)
            {
                _pendingKind = KeyframeRequestKind.Fir;
            }

            return Poll(now);
        }

        if (!_hasSent || now - _lastSent >= _intervalTicks)
        {
            return Send(kind, now);
        }

        _pending = true;
        _pendingKind = kind;
        return KeyframeRequest.None;
    }

    /// <summary>Sends a held request once the interval since the last one has passed.</summary>
    public KeyframeRequest Poll(long now)
    {
        if (_pending && now - _lastSent >= _intervalTicks)
        {
            return Send(_pendingKind, now);
        }

        return KeyframeRequest.None;
    }

    /// <summary>A keyframe arrived from the publisher: every request made before it is answered.</summary>
    public void OnKeyframeReceived()
    {
        if (_pending)
        {
            _pending = false;
            Coalesced++;
        }
    }

    private KeyframeRequest Send(KeyframeRequestKind kind, long now)
    {
        _pending = false;
        _hasSent = true;
        _lastSent = now;
        Sent++;
        if (kind != KeyframeRequestKind.Fir)
        {
            return new KeyframeRequest(KeyframeRequestKind.Pli, 0);
        }

        byte sequenceNumber = _nextFirSequenceNumber;
        _nextFirSequenceNumber = unchecked((byte)(sequenceNumber + 1));
        return new KeyframeRequest(KeyframeRequestKind.Fir, sequenceNumber);
    }
}
