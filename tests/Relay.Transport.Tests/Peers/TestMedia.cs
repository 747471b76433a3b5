using System.Buffers.Binary;

namespace Relay.Transport.Tests.Peers;

/// <summary>Plain RTP and RTCP packets with recognisable contents.</summary>
internal static class TestMedia
{
    public const int RtpPayloadLength = 100;

    /// <summary>Writes RTP (PT 96) with sequence number <paramref name="sequence"/> and a payload derived from it; returns its length.</summary>
    public static int WriteRtp(Span<byte> buffer, ushort sequence, uint ssrc)
    {
        buffer[0] = 0x80;
        buffer[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        for (int i = 0; i < RtpPayloadLength; i++)
        {
            buffer[12 + i] = (byte)(sequence + i);
        }

        return 12 + RtpPayloadLength;
    }

    public static byte[] Rtp(ushort sequence, uint ssrc)
    {
        var packet = new byte[12 + RtpPayloadLength];
        WriteRtp(packet, sequence, ssrc);
        return packet;
    }

    /// <summary>An RTCP receiver report with one report block (RFC 3550 section 6.4.2) from <paramref name="ssrc"/>.</summary>
    public static int WriteReceiverReport(Span<byte> buffer, uint ssrc, uint reportedSsrc, uint highestSequence)
    {
        buffer[..32].Clear();
        buffer[0] = 0x81;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 7);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], reportedSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[16..], highestSequence);
        return 32;
    }

    public static byte[] ReceiverReport(uint ssrc, uint reportedSsrc, uint highestSequence)
    {
        var packet = new byte[32];
        WriteReceiverReport(packet, ssrc, reportedSsrc, highestSequence);
        return packet;
    }
}
