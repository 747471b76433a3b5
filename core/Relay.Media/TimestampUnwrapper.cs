using System.Runtime.CompilerServices;

namespace Relay.Media;

/// <summary>
/// Turns 32-bit RTP timestamps into a 64-bit count that does not wrap. At 90 kHz a timestamp wraps
/// about every 13 hours, and a stream may start anywhere in the space, so the first wrap can come at
/// any moment. Each value is placed the short way round from the last one seen
/// (<see cref="RtpArithmetic.TimestampDistance"/>).
/// </summary>
/// <remarks>
/// The first value unwraps to itself; older values can unwrap below zero. A mutable struct, kept as a
/// field of its single owner and never copied once in use.
/// </remarks>
public struct TimestampUnwrapper
{
    private long _last;
    private bool _hasLast;

    /// <summary>Whether a value has been unwrapped since construction or <see cref="Reset"/>.</summary>
    public readonly bool HasValue => _hasLast;

    /// <summary>The last unwrapped value; meaningful only when <see cref="HasValue"/>.</summary>
    public readonly long Last => _last;

    /// <summary>Unwraps <paramref name="timestamp"/> and makes it the reference for the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Unwrap(uint timestamp)
    {
        long unwrapped = PeekUnwrap(timestamp);
        _last = unwrapped;
        _hasLast = true;
        return unwrapped;
    }

    /// <summary>Unwraps <paramref name="timestamp"/> against the last value without remembering it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly long PeekUnwrap(uint timestamp) =>
        _hasLast ? _last + RtpArithmetic.TimestampDistance((uint)_last, timestamp) : timestamp;

    /// <summary>Forgets the reference; the next value unwraps to itself.</summary>
    public void Reset()
    {
        _last = 0;
        _hasLast = false;
    }
}
