using System.Buffers.Binary;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtp;

namespace Relay.Media.Streams;

/// <summary>
/// RTX retransmission packets (RFC 4588 section 4): the original packet's payload behind a 2-byte
/// original sequence number (OSN), under the RTX payload type, SSRC and the retransmitter's own
/// sequence numbers, with the original timestamp.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP Header                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            OSN                |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                  Original RTP Packet Payload                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
internal static class RtxPacket
{
    public const int OsnLength = 2;

    /// <summary>
    /// Turns the publisher's RTX packet in <paramref name="lease"/> back into the original packet in
    /// place (media SSRC, payload type and sequence number, payload without the OSN). False for RTX
    /// without an OSN (padding-only probes) or before the track's media SSRC is known.
    /// </summary>
    public static bool TryUnwrap(PacketLease lease, PublishedTrackState track, out RtpPacketReader reader)
    {
        Span<byte> packet = lease.Span;
        if (!track.HasSsrc || !RtpPacketReader.TryRead(packet, out reader) || reader.Payload.Length < OsnLength)
        {
            reader = default;
            return false;
        }

        int headerLength = reader.Header.HeaderLength;
        ushort originalSequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(headerLength));
        packet.Slice(headerLength + OsnLength).CopyTo(packet.Slice(headerLength));
        lease.SetLength(packet.Length - OsnLength);
        packet = lease.Span;
        if (!RtpPacketRewriter.TryCreate(packet, out RtpPacketRewriter rewriter))
        {
            reader = default;
            return false;
        }

        rewriter.SetSequenceNumber(originalSequenceNumber);
        rewriter.SetPayloadType((byte)track.PayloadType);
        rewriter.SetSsrc(track.Ssrc);
        return RtpPacketReader.TryRead(packet, out reader);
    }

    /// <summary>
    /// Wraps the packet in <c>buffer[..length]</c> (already rewritten to the viewer's media header) as
    /// RTX in place: inserts the OSN, drops any padding, and sets the RTX payload type, SSRC and
    /// <paramref name="rtxSequenceNumber"/>. <paramref name="buffer"/> needs 2 bytes of room after the
    /// packet. Returns the RTX packet's length, or 0 if the packet is not RTP.
    /// </summary>
    public static int Wrap(Span<byte> buffer, int length, byte rtxPayloadType, uint rtxSsrc, ushort rtxSequenceNumber)
    {
        if (!RtpPacketReader.TryRead(buffer.Slice(0, length), out RtpPacketReader reader) || buffer.Length < length + OsnLength)
        {
            return 0;
        }

        int headerLength = reader.Header.HeaderLength;
        int payloadLength = reader.Payload.Length;
        ushort originalSequenceNumber = reader.Header.SequenceNumber;
        buffer.Slice(headerLength, payloadLength).CopyTo(buffer.Slice(headerLength + OsnLength));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(headerLength), originalSequenceNumber);
        buffer[0] &= 0xDF;
        int rtxLength = headerLength + OsnLength + payloadLength;
        if (!RtpPacketRewriter.TryCreate(buffer.Slice(0, rtxLength), out RtpPacketRewriter rewriter))
        {
            return 0;
        }

        rewriter.SetPayloadType(rtxPayloadType);
        rewriter.SetSsrc(rtxSsrc);
        rewriter.SetSequenceNumber(rtxSequenceNumber);
        return rtxLength;
    }
}
