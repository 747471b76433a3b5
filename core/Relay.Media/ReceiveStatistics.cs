using System.Runtime.CompilerServices;
using Relay.Protocols.Rtcp;

namespace Relay.Media;

/// <summary>
/// Reception statistics of one received RTP stream, for the RTCP receiver reports the relay sends the
/// publisher: sequence tracking (RFC 3550 section A.1), loss (A.3), interarrival jitter (A.8), and
/// the LSR/DLSR pair that lets the publisher measure the round trip (section 6.4.1).
/// </summary>
/// <remarks>
/// <para>
/// Sequence numbers follow A.1: a forward step below 3000 (MAX_DROPOUT) advances, counting a cycle
/// when it wraps; a step back within 100 (MAX_MISORDER) is a late or duplicate packet and still counts
/// as received, so duplicates can make the loss negative, as the RFC intends; any other jump is
/// ignored unless the next packet follows it directly, which restarts the statistics there (the
/// source restarted its numbering). A.1's probation of a new source is left out: SRTP has already
/// authenticated every packet that reaches this point.
/// </para>
/// <para>
/// Jitter follows A.8 in timestamp units, with arrival times converted to the clock rate; it is
/// updated only by packets that advance the sequence, as libwebrtc does, because a reordered packet's
/// late arrival says nothing about the network's jitter.
/// </para>
/// <para>
/// Times are <see cref="TimeProvider.GetTimestamp"/> ticks. Single owner: the worker thread that owns
/// the stream calls every member.
/// </para>
/// </remarks>
public sealed class ReceiveStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int SequenceModulus = 1 << 16;

    private readonly long _frequency;
    private readonly uint _ssrc;
    private readonly int _clockRate;

    private bool _started;
    private ushort _maxSequence;
    private long _cycles;
    private long _baseSequence;
    private int _badSequence;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;

    private long _arrivalOrigin;
    private uint _lastTransit;
    private bool _hasTransit;
    private long _jitterQ4;

    private bool _hasSenderReport;
    private uint _lastSenderReport;
    private long _lastSenderReportArrival;

    /// <param name="timeProvider">Source of the timestamp frequency the caller's times use.</param>
    /// <param name="ssrc">The SSRC of the stream received.</param>
    /// <param name="clockRate">The stream's RTP clock rate (90000 for video, 48000 for Opus).</param>
    public ReceiveStatistics(TimeProvider timeProvider, uint ssrc, int clockRate)
    {
        _frequency = MediaTime.FrequencyOf(timeProvider);
        if (clockRate <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(clockRate));
        }

        _ssrc = ssrc;
        _clockRate = clockRate;
    }

    public uint Ssrc => _ssrc;

    public int ClockRate => _clockRate;

    /// <summary>Packets counted as received, duplicates included (A.1's <c>received</c>).</summary>
    public long PacketsReceived => _received;

    /// <summary>Packets expected from the first sequence number to the highest (A.3).</summary>
    public long PacketsExpected => _started ? ExtendedMax - _baseSequence + 1 : 0;

    /// <summary>Packets lost since reception began: expected - received, not clamped.</summary>
    public long PacketsLost => PacketsExpected - _received;

    /// <summary>The highest sequence number with its cycle count (A.1's <c>cycles + max_seq</c>).</summary>
    public uint ExtendedHighestSequenceNumber => (uint)ExtendedMax;

    /// <summary>The current interarrival jitter in timestamp units (A.8).</summary>
    public uint Jitter => (uint)(_jitterQ4 >> 4);

    private long ExtendedMax => _cycles + _maxSequence;

    /// <summary>
    /// Notes a received packet. False if it was not counted: a jump too large to follow, kept only to
    /// see whether the next packet confirms a restart.
    /// </summary>
    public bool OnPacketReceived(ushort sequenceNumber, uint timestamp, long arrival)
    {
        if (!_started)
        {
            Restart(sequenceNumber, arrival);
            _received = 1;
            UpdateJitter(timestamp, arrival);
            return true;
        }

        int forward = (ushort)(sequenceNumber - _maxSequence);
        if (forward is > 0 and < MaxDropout)
        {
            if (sequenceNumber < _maxSequence)
            {
                _cycles += SequenceModulus;
            }

            _maxSequence = sequenceNumber;
            _received++;
            UpdateJitter(timestamp, arrival);
            return true;
        }

        if (forward == 0 || forward > SequenceModulus - MaxMisorder)
        {
            // A duplicate or a reordered packet: counted, but it does not move the sequence or the jitter.
            _received++;
            return true;
        }

        return OnJump(sequenceNumber, timestamp, arrival);
    }

    /// <summary>
    /// Notes a sender report from this source: <paramref name="ntpTimestamp"/> is its 64-bit NTP
    /// timestamp, <paramref name="arrival"/> when it arrived.
    /// </summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrival)
    {
        _lastSenderReport = (uint)(ntpTimestamp >> 16);
        _lastSenderReportArrival = arrival;
        _hasSenderReport = true;
    }

    /// <summary>
    /// Computes the reception report at <paramref name="now"/> and starts the next reporting interval
    /// (the fraction lost covers the time since the previous call). False before any packet arrived.
    /// </summary>
    public bool CreateReport(long now, out ReportBlock report)
    {
        if (!_started)
        {
            report = default;
            return false;
        }

        long expected = PacketsExpected;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        _expectedPrior = expected;
        _receivedPrior = _received;
        byte fraction = expectedInterval == 0 || lostInterval <= 0
            ? (byte)0
            : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        int cumulative = (int)Math.Clamp(expected - _received, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost);

        uint delay = 0;
        if (_hasSenderReport && now > _lastSenderReportArrival)
        {
            delay = (uint)Math.Min(uint.MaxValue, MediaTime.Scale(now - _lastSenderReportArrival, _frequency, 65536));
        }

        report = new ReportBlock(
            _ssrc,
            fraction,
            cumulative,
            ExtendedHighestSequenceNumber,
            Jitter,
            _hasSenderReport ? _lastSenderReport : 0,
            delay);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UpdateJitter(uint timestamp, long arrival)
    {
        // A.8: transit = arrival - timestamp, both in timestamp units; only differences matter, so the
        // arrival clock may start anywhere and wrap with the timestamps.
        long elapsed = arrival - _arrivalOrigin;
        uint arrivalUnits = elapsed >= 0 ? (uint)MediaTime.Scale(elapsed, _frequency, _clockRate) : 0;
        uint transit = arrivalUnits - timestamp;
        if (_hasTransit)
        {
            long d = Math.Abs((long)(int)(transit - _lastTransit));
            _jitterQ4 += d - ((_jitterQ4 + 8) >> 4);
        }

        _lastTransit = transit;
        _hasTransit = true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool OnJump(ushort sequenceNumber, uint timestamp, long arrival)
    {
        if (sequenceNumber != _badSequence)
        {
            _badSequence = (sequenceNumber + 1) & (SequenceModulus - 1);
            return false;
        }

        // Two packets in a row after the jump: the source restarted its numbering. Start again.
        Restart(sequenceNumber, arrival);
        _received = 1;
        UpdateJitter(timestamp, arrival);
        return true;
    }

    private void Restart(ushort sequenceNumber, long arrival)
    {
        _started = true;
        _baseSequence = sequenceNumber;
        _maxSequence = sequenceNumber;
        _cycles = 0;
        _badSequence = SequenceModulus + 1;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _arrivalOrigin = arrival;
        _hasTransit = false;
    }
}
