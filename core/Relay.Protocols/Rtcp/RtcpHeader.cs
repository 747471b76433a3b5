using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// The 4-byte header every RTCP packet starts with (RFC 3550 section 6.4.1), and the shared writing helpers.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  Count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Count is the report count, source count, APP subtype or feedback FMT, by type. Length is the packet's
/// size in 32-bit words minus one, header and padding included.
/// </remarks>
internal static class RtcpHeader
{
    public const int Length = 4;

    public const int Version = 2;

    /// <summary>The largest count (and FMT) the 5-bit field holds.</summary>
    public const int MaxCount = 31;

    /// <summary>The 16-bit length field counts up to 65536 words.</summary>
    public const int MaxPacketLength = 65536 * 4;

    /// <summary>Header plus SSRC of packet sender and SSRC of media source (RFC 4585 section 6.1).</summary>
    public const int FeedbackHeaderLength = 12;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AlignTo32Bits(int length) => (length + 3) & ~3;

    /// <summary>Writes the header for a packet of <paramref name="packetLength"/> bytes (a multiple of 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Span<byte> destination, int count, RtcpPacketType type, int packetLength)
    {
        destination[0] = (byte)((Version << 6) | count);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)((packetLength >> 2) - 1));
    }

    /// <summary>Writes the RFC 4585 common feedback header: RTCP header, sender SSRC, media SSRC.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteFeedback(Span<byte> destination, RtcpPacketType type, int format, int packetLength, uint senderSsrc, uint mediaSsrc)
    {
        Write(destination, format, type, packetLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), mediaSsrc);
    }

    /// <summary>Throws if a writer was given more content than one RTCP packet's length field can describe.</summary>
    public static void EnsureFits(long packetLength, string paramName)
    {
        if (packetLength > MaxPacketLength)
        {
            ThrowHelper.ThrowArgument("The content does not fit in one RTCP packet (at most 262144 bytes); split it.", paramName);
        }
    }

    /// <summary>Throws if a list is longer than the 5-bit count field allows.</summary>
    public static void EnsureCount(int count, string paramName)
    {
        if (count > MaxCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName);
        }
    }
}
