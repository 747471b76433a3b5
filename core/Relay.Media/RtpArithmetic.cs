using System.Runtime.CompilerServices;

namespace Relay.Media;

/// <summary>
/// Comparisons of RTP sequence numbers (16 bits) and timestamps (32 bits), which wrap: "newer" means
/// ahead by less than half the number space (RFC 3550 section A.1 reasons the same way, as does
/// libwebrtc's <c>IsNewerSequenceNumber</c>). At exactly half the space both directions are equally
/// far; the numerically larger value is then taken as newer so that <c>IsNewer(a, b)</c> and
/// <c>IsNewer(b, a)</c> never both hold.
/// </summary>
public static class RtpArithmetic
{
    /// <summary>Whether <paramref name="value"/> comes after <paramref name="reference"/>, modulo 2^16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNewerSequenceNumber(ushort value, ushort reference)
    {
        ushort ahead = (ushort)(value - reference);
        return ahead == 0x8000 ? value > reference : ahead != 0 && ahead < 0x8000;
    }

    /// <summary>
    /// How far <paramref name="to"/> is from <paramref name="from"/> going the short way round:
    /// positive when <paramref name="to"/> is newer, in [-32768, 32767] (exactly half reads as -32768
    /// unless <paramref name="to"/> is numerically larger, matching <see cref="IsNewerSequenceNumber"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SequenceNumberDistance(ushort from, ushort to)
    {
        int ahead = (ushort)(to - from);
        if (ahead < 0x8000 || (ahead == 0x8000 && to > from))
        {
            return ahead;
        }

        return ahead - 0x10000;
    }

    /// <summary>The newer of two sequence numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort LatestSequenceNumber(ushort a, ushort b) => IsNewerSequenceNumber(b, a) ? b : a;

    /// <summary>Whether <paramref name="value"/> comes after <paramref name="reference"/>, modulo 2^32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNewerTimestamp(uint value, uint reference)
    {
        uint ahead = value - reference;
        return ahead == 0x8000_0000u ? value > reference : ahead != 0 && ahead < 0x8000_0000u;
    }

    /// <summary>
    /// How far <paramref name="to"/> is from <paramref name="from"/> going the short way round, in RTP
    /// clock units: positive when <paramref name="to"/> is newer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long TimestampDistance(uint from, uint to)
    {
        long ahead = (uint)(to - from);
        if (ahead < 0x8000_0000L || (ahead == 0x8000_0000L && to > from))
        {
            return ahead;
        }

        return ahead - 0x1_0000_0000L;
    }
}
