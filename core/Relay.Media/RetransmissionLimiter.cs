using System.Numerics;
using System.Runtime.CompilerServices;

namespace Relay.Media;

/// <summary>
/// Lets each sequence number be retransmitted to one subscriber at most once per window, so a viewer
/// that repeats or spams NACKs cannot multiply the relay's outgoing traffic. The window is normally
/// the subscriber's round-trip time (a retransmission sent less than an RTT ago cannot yet have been
/// missed again), with a configurable floor; <see cref="Window"/> can be updated as the RTT estimate
/// changes.
/// </summary>
/// <remarks>
/// One per subscriber per stream, since different viewers lose different packets; keyed by the
/// subscriber's sequence numbers, the ones its NACKs carry. A ring of
/// <see cref="Capacity"/> slots indexed by sequence number records when each was last sent; choose a
/// capacity at least that of the <see cref="PacketCache"/> so every packet the cache can still serve
/// keeps its own record. Times are <see cref="TimeProvider.GetTimestamp"/> ticks passed in by the
/// caller. Single owner: the worker thread that owns the stream calls every member.
/// </remarks>
public sealed class RetransmissionLimiter
{
    /// <summary>Default number of sequence numbers remembered (a power of two).</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>Default window when no RTT estimate is known.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMilliseconds(100);

    private readonly int[] _sequences;
    private readonly long[] _sentAt;
    private readonly int _mask;
    private readonly long _frequency;
    private long _windowTicks;
    private TimeSpan _window;

    /// <param name="timeProvider">Source of the timestamp frequency the caller's times use.</param>
    /// <param name="window">How long after a retransmission the same number is refused; default 100 ms.</param>
    /// <param name="capacity">Sequence numbers remembered; a power of two from 16 to 32768.</param>
    public RetransmissionLimiter(TimeProvider timeProvider, TimeSpan? window = null, int capacity = DefaultCapacity)
    {
        _frequency = MediaTime.FrequencyOf(timeProvider);
        if (capacity is < 16 or > PacketCache.MaxCapacity || !BitOperations.IsPow2(capacity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        }

        _sequences = new int[capacity];
        _sentAt = new long[capacity];
        _mask = capacity - 1;
        Window = window ?? DefaultWindow;
        Reset();
    }

    /// <summary>Sequence numbers remembered.</summary>
    public int Capacity => _sequences.Length;

    /// <summary>How long after a retransmission the same sequence number is refused.</summary>
    public TimeSpan Window
    {
        get => _window;
        set
        {
            _windowTicks = MediaTime.ToTicks(value, _frequency, nameof(Window));
            _window = value;
        }
    }

    /// <summary>Retransmissions refused because they came within the window.</summary>
    public long Suppressed { get; private set; }

    /// <summary>
    /// Whether <paramref name="sequenceNumber"/> may be retransmitted at <paramref name="now"/>. True
    /// records the send, so the same number is refused until the window has passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAcquire(ushort sequenceNumber, long now)
    {
        int slot = sequenceNumber & _mask;
        if (_sequences[slot] == sequenceNumber && now - _sentAt[slot] < _windowTicks)
        {
            Suppressed++;
            return false;
        }

        _sequences[slot] = sequenceNumber;
        _sentAt[slot] = now;
        return true;
    }

    /// <summary>Forgets every send, e.g. when the stream's source changes.</summary>
    public void Reset() => Array.Fill(_sequences, -1);
}
