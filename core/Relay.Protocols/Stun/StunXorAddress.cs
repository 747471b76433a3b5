using System.Buffers.Binary;

namespace Relay.Protocols.Stun;

/// <summary>
/// The XOR-MAPPED-ADDRESS value (RFC 8489 section 14.2): the port XORed with the cookie's top 16 bits,
/// an IPv4 address with the cookie, an IPv6 address with the cookie followed by the transaction id.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Family 0x01 is IPv4 (4 address bytes), 0x02 IPv6 (16).
/// </remarks>
internal static class StunXorAddress
{
    public const int IPv4ValueLength = 8;
    public const int IPv6ValueLength = 20;

    public static int ValueLength(in StunTransportAddress address) =>
        address.Family == StunAddressFamily.IPv4 ? IPv4ValueLength : IPv6ValueLength;

    /// <summary>Reads a value the reader has already checked for family and length.</summary>
    public static StunTransportAddress Read(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId)
    {
        var family = (StunAddressFamily)value[1];
        ushort port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value.Slice(2)) ^ (StunMessageReader.MagicCookie >> 16));
        if (family == StunAddressFamily.IPv4)
        {
            uint address = BinaryPrimitives.ReadUInt32BigEndian(value.Slice(4)) ^ StunMessageReader.MagicCookie;
            return StunTransportAddress.FromParts(family, port, 0, address);
        }

        (ulong maskHigh, ulong maskLow) = Mask(transactionId);
        return StunTransportAddress.FromParts(
            family,
            port,
            BinaryPrimitives.ReadUInt64BigEndian(value.Slice(4)) ^ maskHigh,
            BinaryPrimitives.ReadUInt64BigEndian(value.Slice(12)) ^ maskLow);
    }

    /// <summary>Writes the value (without the attribute header) and returns its length.</summary>
    public static int Write(Span<byte> destination, in StunTransportAddress address, ReadOnlySpan<byte> transactionId)
    {
        destination[0] = 0;
        destination[1] = (byte)address.Family;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)(address.Port ^ (StunMessageReader.MagicCookie >> 16)));
        if (address.Family == StunAddressFamily.IPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), (uint)address.Low ^ StunMessageReader.MagicCookie);
            return IPv4ValueLength;
        }

        (ulong maskHigh, ulong maskLow) = Mask(transactionId);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(4), address.High ^ maskHigh);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(12), address.Low ^ maskLow);
        return IPv6ValueLength;
    }

    private static (ulong High, ulong Low) Mask(ReadOnlySpan<byte> transactionId) =>
        (((ulong)StunMessageReader.MagicCookie << 32) | BinaryPrimitives.ReadUInt32BigEndian(transactionId),
         BinaryPrimitives.ReadUInt64BigEndian(transactionId.Slice(4)));
}
