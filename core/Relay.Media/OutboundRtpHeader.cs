using Relay.Protocols.Rtp;

namespace Relay.Media;

/// <summary>
/// The header fields a subscriber sees for one forwarded packet: its own SSRC and payload type, and
/// the sequence number and timestamp of its continuous stream.
/// </summary>
public readonly struct OutboundRtpHeader
{
    public OutboundRtpHeader(ushort sequenceNumber, uint timestamp, uint ssrc, byte payloadType)
    {
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        PayloadType = payloadType;
    }

    public ushort SequenceNumber { get; }

    public uint Timestamp { get; }

    public uint Ssrc { get; }

    /// <summary>The 7-bit payload type the subscriber negotiated.</summary>
    public byte PayloadType { get; }

    /// <summary>
    /// Writes these fields into <paramref name="packet"/> in place, keeping the marker bit and every
    /// other byte. False, with nothing written, if the packet's header does not read as RTP.
    /// </summary>
    public bool TryWriteTo(Span<byte> packet)
    {
        if (!RtpPacketRewriter.TryCreate(packet, out RtpPacketRewriter rewriter))
        {
            return false;
        }

        rewriter.SetSequenceNumber(SequenceNumber);
        rewriter.SetTimestamp(Timestamp);
        rewriter.SetSsrc(Ssrc);
        rewriter.SetPayloadType(PayloadType);
        return true;
    }
}
