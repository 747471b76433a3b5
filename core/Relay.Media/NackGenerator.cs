using System.Runtime.CompilerServices;

namespace Relay.Media;

/// <summary>
/// Finds the packets missing from a received stream and says which to request from the publisher in
/// a NACK (RFC 4585 section 6.2.1), when, and when to give up.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OnPacketReceived"/> notes each sequence number. A new highest number after a gap adds
/// the numbers in between to a bounded list of missing packets; a missing packet that arrives late is
/// removed. <see cref="CollectNacks"/>, called from the worker's RTCP timer, fills the caller's span
/// with the numbers due to be requested: each first after <see cref="ReorderingDelay"/> (0 by default:
/// ask at once), again every <see cref="RetryInterval"/> (set it from the RTT), at most
/// <see cref="MaxRetries"/> times, and never once it is older than <see cref="MaxAge"/>, past which a
/// retransmission would come too late to play and the publisher's own history has likely dropped it.
/// </para>
/// <para>
/// The list holds at most <see cref="Capacity"/> packets: a gap larger than that is not requested at
/// all (the list is cleared), and a gap that overflows it drops the oldest entries; either way
/// <see cref="OnPacketReceived"/> answers <see cref="NackReceiveResult.KeyframeNeeded"/>, as recovering
/// by NACK is then hopeless. Nothing allocates after construction. Times are
/// <see cref="TimeProvider.GetTimestamp"/> ticks. Single owner: the worker thread that owns the stream
/// calls every member.
/// </para>
/// </remarks>
public sealed class NackGenerator
{
    /// <summary>Default bound on the missing list.</summary>
    public const int DefaultCapacity = 256;

    /// <summary>Default number of times one packet is requested.</summary>
    public const int DefaultMaxRetries = 10;

    /// <summary>Default spacing of requests for one packet when no RTT is known.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Default age after which a missing packet is no longer requested.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(1);

    private readonly MissingPacket[] _missing;
    private readonly long _frequency;
    private readonly int _maxRetries;
    private long _retryIntervalTicks;
    private long _maxAgeTicks;
    private long _reorderingDelayTicks;
    private TimeSpan _retryInterval;
    private TimeSpan _maxAge;
    private TimeSpan _reorderingDelay;
    private int _head;
    private int _count;
    private long _highest;
    private bool _hasHighest;

    /// <param name="timeProvider">Source of the timestamp frequency the caller's times use.</param>
    /// <param name="capacity">Most missing packets tracked at once, 1 to 32768.</param>
    /// <param name="maxRetries">Times one packet is requested, at least 1.</param>
    /// <param name="retryInterval">Least time between two requests for one packet; default 100 ms.</param>
    /// <param name="maxAge">Time after a packet was found missing when requests for it stop; default 1 s.</param>
    /// <param name="reorderingDelay">Time a gap may wait for reordered packets before the first request; default 0.</param>
    public NackGenerator(
        TimeProvider timeProvider,
        int capacity = DefaultCapacity,
        int maxRetries = DefaultMaxRetries,
        TimeSpan? retryInterval = null,
        TimeSpan? maxAge = null,
        TimeSpan? reorderingDelay = null)
    {
        _frequency = MediaTime.FrequencyOf(timeProvider);
        if (capacity is < 1 or > PacketCache.MaxCapacity)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        }

        if (maxRetries < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxRetries));
        }

        _missing = new MissingPacket[capacity];
        _maxRetries = maxRetries;
        RetryInterval = retryInterval ?? DefaultRetryInterval;
        MaxAge = maxAge ?? DefaultMaxAge;
        ReorderingDelay = reorderingDelay ?? TimeSpan.Zero;
    }

    /// <summary>Most missing packets tracked at once.</summary>
    public int Capacity => _missing.Length;

    /// <summary>Times one packet is requested.</summary>
    public int MaxRetries => _maxRetries;

    /// <summary>Least time between two requests for one packet; normally the RTT to the publisher.</summary>
    public TimeSpan RetryInterval
    {
        get => _retryInterval;
        set
        {
            _retryIntervalTicks = MediaTime.ToTicks(value, _frequency, nameof(RetryInterval));
            _retryInterval = value;
        }
    }

    /// <summary>Time after a packet was found missing when requests for it stop.</summary>
    public TimeSpan MaxAge
    {
        get => _maxAge;
        set
        {
            _maxAgeTicks = MediaTime.ToTicks(value, _frequency, nameof(MaxAge));
            _maxAge = value;
        }
    }

    /// <summary>Time a gap may wait for reordered packets before the first request.</summary>
    public TimeSpan ReorderingDelay
    {
        get => _reorderingDelay;
        set
        {
            _reorderingDelayTicks = MediaTime.ToTicks(value, _frequency, nameof(ReorderingDelay));
            _reorderingDelay = value;
        }
    }

    /// <summary>Packets currently tracked as missing.</summary>
    public int MissingCount => _count;

    /// <summary>Missing packets given up on (too old, out of retries, or pushed out of the list).</summary>
    public long Abandoned { get; private set; }

    /// <summary>Missing packets that arrived after all.</summary>
    public long Recovered { get; private set; }

    /// <summary>Notes a received packet's sequence number.</summary>
    public NackReceiveResult OnPacketReceived(ushort sequenceNumber, long now)
    {
        if (!_hasHighest)
        {
            _highest = sequenceNumber;
            _hasHighest = true;
            return NackReceiveResult.Advanced;
        }

        long sequence = _highest + RtpArithmetic.SequenceNumberDistance((ushort)_highest, sequenceNumber);
        if (sequence > _highest)
        {
            long gap = sequence - _highest - 1;
            long from = _highest + 1;
            _highest = sequence;
            if (gap == 0)
            {
                return NackReceiveResult.Advanced;
            }

            return AddMissing(from, gap, now);
        }

        if (sequence == _highest || _count == 0)
        {
            return NackReceiveResult.Duplicate;
        }

        int index = Find(sequence);
        if (index < 0)
        {
            return NackReceiveResult.Duplicate;
        }

        Remove(index);
        Recovered++;
        return NackReceiveResult.Recovered;
    }

    /// <summary>
    /// Writes into <paramref name="destination"/>, oldest first, the sequence numbers to request now, and
    /// counts each as one more request. Drops missing packets that are too old or out of retries. The
    /// span bounds one call; numbers that do not fit wait for the next. Returns how many were written.
    /// </summary>
    public int CollectNacks(long now, Span<ushort> destination)
    {
        int written = 0;
        int write = _head;
        int end = _head + _count;
        MissingPacket[] missing = _missing;
        for (int read = _head; read < end; read++)
        {
            MissingPacket packet = missing[read];
            bool keep;
            if (now - packet.FoundAt >= _maxAgeTicks)
            {
                keep = false;
            }
            else if (packet.Retries >= _maxRetries)
            {
                // Out of retries: give the last request its interval to be answered, then stop.
                keep = now - packet.LastRequestedAt < _retryIntervalTicks;
            }
            else
            {
                keep = true;
                bool due = packet.Retries == 0
                    ? now - packet.FoundAt >= _reorderingDelayTicks
                    : now - packet.LastRequestedAt >= _retryIntervalTicks;
                if (due && written < destination.Length)
                {
                    destination[written++] = (ushort)packet.Sequence;
                    packet.Retries++;
                    packet.LastRequestedAt = now;
                }
            }

            if (keep)
            {
                missing[write++] = packet;
            }
            else
            {
                Abandoned++;
            }
        }

        _count = write - _head;
        return written;
    }

    /// <summary>Forgets every missing packet and the sequence numbering, e.g. when the source changes.</summary>
    public void Reset()
    {
        _head = 0;
        _count = 0;
        _hasHighest = false;
        _highest = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private NackReceiveResult AddMissing(long from, long gap, long now)
    {
        int capacity = _missing.Length;
        if (gap > capacity)
        {
            Abandoned += _count + gap;
            _head = 0;
            _count = 0;
            return NackReceiveResult.KeyframeNeeded;
        }

        NackReceiveResult result = NackReceiveResult.Advanced;
        int overflow = (int)(_count + gap - capacity);
        if (overflow > 0)
        {
            _head += overflow;
            _count -= overflow;
            Abandoned += overflow;
            result = NackReceiveResult.KeyframeNeeded;
        }

        if (_head + _count + gap > capacity)
        {
            Array.Copy(_missing, _head, _missing, 0, _count);
            _head = 0;
        }

        int at = _head + _count;
        for (long sequence = from; sequence < from + gap; sequence++)
        {
            _missing[at++] = new MissingPacket { Sequence = sequence, FoundAt = now };
        }

        _count += (int)gap;
        return result;
    }

    private int Find(long sequence)
    {
        // Entries are in ascending sequence order: appended as gaps appear, removed in place.
        int low = _head;
        int high = _head + _count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            long value = _missing[middle].Sequence;
            if (value == sequence)
            {
                return middle;
            }

            if (value < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private void Remove(int index)
    {
        if (index == _head)
        {
            _head++;
        }
        else
        {
            Array.Copy(_missing, index + 1, _missing, index, _head + _count - index - 1);
        }

        _count--;
        if (_count == 0)
        {
            _head = 0;
        }
    }

    private struct MissingPacket
    {
        public long Sequence;
        public long FoundAt;
        public long LastRequestedAt;
        public int Retries;
    }
}
