using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// One RTCP packet inside a compound datagram, with its common header checked (RFC 3550 section 6.4.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  Count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    payload (type-specific)                    |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                               |  padding ...  | padding count |  (if P)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A packet read here has version 2, a type in the RTCP range 192-223, a length that fits the bytes
/// it came from, a padding count (if P) that fits inside it, and enough bytes for what the count field
/// declares for SR, RR, SDES, BYE, APP and the feedback types. <see cref="Payload"/> excludes the
/// header and the padding. The type-specific readers (<see cref="SenderReport"/> and the rest) check
/// the rest of the layout.
/// </remarks>
public readonly ref struct RtcpPacket
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _payloadEnd;

    private RtcpPacket(ReadOnlySpan<byte> data, int payloadEnd)
    {
        _data = data;
        _payloadEnd = payloadEnd;
    }

    /// <summary>The packet type octet (0 for a default instance, which every type reader rejects).</summary>
    public RtcpPacketType Type => _data.IsEmpty ? default : (RtcpPacketType)_data[1];

    /// <summary>The 5-bit count field: report count (SR, RR), source count (SDES, BYE), subtype (APP) or FMT (feedback).</summary>
    public int Count => _data.IsEmpty ? 0 : _data[0] & 0x1F;

    /// <summary>The 5-bit field read as a feedback message type (FMT); the same bits as <see cref="Count"/>.</summary>
    public int Format => Count;

    /// <summary>Whether the P bit is set.</summary>
    public bool HasPadding => !_data.IsEmpty && (_data[0] & 0x20) != 0;

    /// <summary>Bytes of padding at the end, the count octet included (0 without the P bit).</summary>
    public int PaddingLength => _data.Length - _payloadEnd;

    /// <summary>The whole packet as it appeared in the datagram: header, payload and padding.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The bytes after the 4-byte header, padding excluded.</summary>
    public ReadOnlySpan<byte> Payload => _data.IsEmpty ? default : _data.Slice(RtcpHeader.Length, _payloadEnd - RtcpHeader.Length);

    /// <summary>
    /// Reads the first RTCP packet at the start of <paramref name="data"/> (which may hold more packets after it).
    /// Returns false for anything malformed; use <see cref="RtcpCompoundEnumerator"/> for the reason.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpPacket packet) => Read(data, out packet) == RtcpParseError.None;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static RtcpParseError Read(ReadOnlySpan<byte> data, out RtcpPacket packet)
    {
        packet = default;
        if (data.Length < RtcpHeader.Length)
        {
            return data.IsEmpty ? RtcpParseError.Empty : RtcpParseError.Truncated;
        }

        byte first = data[0];
        if ((first >> 6) != RtcpHeader.Version)
        {
            return RtcpParseError.InvalidVersion;
        }

        byte type = data[1];
        if (type < 192 || type > 223)
        {
            return RtcpParseError.InvalidPacketType;
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2)) + 1) * 4;
        if (length > data.Length)
        {
            return RtcpParseError.Truncated;
        }

        int payloadEnd = length;
        if ((first & 0x20) != 0)
        {
            // The count octet counts itself, so zero is invalid, and padding cannot eat the header.
            int padding = data[length - 1];
            if (padding == 0 || padding > length - RtcpHeader.Length)
            {
                return RtcpParseError.InvalidPadding;
            }

            payloadEnd -= padding;
        }

        if (payloadEnd - RtcpHeader.Length < MinimumPayloadLength((RtcpPacketType)type, first & 0x1F))
        {
            return RtcpParseError.InvalidLength;
        }

        packet = new RtcpPacket(data.Slice(0, length), payloadEnd);
        return RtcpParseError.None;
    }

    /// <summary>The fewest payload bytes a packet of this type must carry for the items its count field declares.</summary>
    private static int MinimumPayloadLength(RtcpPacketType type, int count) => type switch
    {
        RtcpPacketType.SenderReport => 4 + SenderInfo.Length + (count * ReportBlock.Length),
        RtcpPacketType.ReceiverReport => 4 + (count * ReportBlock.Length),

        // Each chunk is at least an SSRC and one word of null octets.
        RtcpPacketType.SourceDescription => count * 8,
        RtcpPacketType.Goodbye => count * 4,
        RtcpPacketType.ApplicationDefined => 8,
        RtcpPacketType.TransportLayerFeedback or RtcpPacketType.PayloadSpecificFeedback => 8,
        _ => 0,
    };
}
