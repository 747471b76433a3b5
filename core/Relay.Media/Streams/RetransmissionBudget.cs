namespace Relay.Media.Streams;

/// <summary>
/// One viewer's allowance of retransmitted bytes: a token bucket refilled at
/// <see cref="MediaStreamOptions.MaxRetransmissionBytesPerSecond"/> that holds at most one second's worth,
/// so a viewer on a very lossy path (or one NACKing everything) cannot make the relay resend without
/// bound. What it refuses is dropped and counted as <see cref="MediaDropReason.RetransmissionRateLimited"/>.
/// </summary>
/// <remarks>A mutable struct kept in its viewer's track state and used under the stream's lock; no allocation.</remarks>
internal struct RetransmissionBudget
{
    private double _available;
    private long _last;
    private bool _started;

    /// <summary>Takes <paramref name="bytes"/> if the bucket holds them at <paramref name="now"/> (a timestamp of <paramref name="frequency"/> ticks a second).</summary>
    public bool TryTake(int bytes, long now, long bytesPerSecond, long frequency)
    {
        if (!_started)
        {
            _started = true;
            _available = bytesPerSecond;
        }
        else
        {
            // At most a second's refill, which also keeps the product far from overflow.
            long elapsed = Math.Clamp(now - _last, 0, frequency);
            _available = Math.Min(bytesPerSecond, _available + ((double)elapsed * bytesPerSecond / frequency));
        }

        _last = now;
        if (_available < bytes)
        {
            return false;
        }

        _available -= bytes;
        return true;
    }
}
