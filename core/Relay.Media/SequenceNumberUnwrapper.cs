using System.Runtime.CompilerServices;

namespace Relay.Media;

/// <summary>
/// Turns 16-bit RTP sequence numbers into a 64-bit count that does not wrap, so ranges, rings and
/// comparisons can use plain arithmetic. Each value is placed the short way round from the last one
/// seen (<see cref="RtpArithmetic.SequenceNumberDistance"/>): forward across 65535 -> 0 adds a cycle,
/// a slightly late packet just after a wrap lands in the previous cycle.
/// </summary>
/// <remarks>
/// The first value unwraps to itself (0-65535); values older than it can unwrap below zero. A mutable
/// struct, kept as a field of its single owner and never copied once in use.
/// </remarks>
public struct SequenceNumberUnwrapper
{
    private long _last;
    private bool _hasLast;

    /// <summary>Whether a value has been unwrapped since construction or <see cref="Reset"/>.</summary>
    public readonly bool HasValue => _hasLast;

    /// <summary>The last unwrapped value; meaningful only when <see cref="HasValue"/>.</summary>
    public readonly long Last => _last;

    /// <summary>Unwraps <paramref name="sequenceNumber"/> and makes it the reference for the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Unwrap(ushort sequenceNumber)
    {
        long unwrapped = PeekUnwrap(sequenceNumber);
        _last = unwrapped;
        _hasLast = true;
        return unwrapped;
    }

    /// <summary>Unwraps <paramref name="sequenceNumber"/> against the last value without remembering it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly long PeekUnwrap(ushort sequenceNumber) =>
        _hasLast ? _last + RtpArithmetic.SequenceNumberDistance((ushort)_last, sequenceNumber) : sequenceNumber;

    /// <summary>Forgets the reference; the next value unwraps to itself.</summary>
    public void Reset()
    {
        _last = 0;
        _hasLast = false;
    }
}
