using System.Buffers.Binary;

namespace Relay.Testing.Recording.Packetization;

/// <summary>
/// A test-only RTP packetizer, the sender's side of what the depacketizers undo: VP8 with a full
/// payload descriptor (RFC 7741, 15-bit picture id), H.264 in packetization mode 1 (RFC 6184: single NAL
/// units, STAP-A for small units that fit together, FU-A for large ones), Opus one packet per frame.
/// </summary>
public static class RtpPacketizer
{
    public const int MaxPayload = 1100;

    public static List<(byte[] Payload, bool Marker)> Vp8(byte[] frame, int pictureId)
    {
        var packets = new List<(byte[], bool)>();
        for (int offset = 0; offset < frame.Length; offset += MaxPayload - 4)
        {
            int length = Math.Min(MaxPayload - 4, frame.Length - offset);
            byte[] payload = new byte[4 + length];
            payload[0] = (byte)(0x80 | (offset == 0 ? 0x10 : 0));
            payload[1] = 0x80;
            payload[2] = (byte)(0x80 | ((pictureId >> 8) & 0x7F));
            payload[3] = (byte)pictureId;
            frame.AsSpan(offset, length).CopyTo(payload.AsSpan(4));
            packets.Add((payload, offset + length == frame.Length));
        }

        return packets;
    }

    /// <summary>Packetizes an access unit given as 4-byte-length-prefixed NAL units.</summary>
    public static List<(byte[] Payload, bool Marker)> H264(byte[] accessUnit)
    {
        var nalUnits = new List<byte[]>();
        for (int offset = 0; offset < accessUnit.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(accessUnit.AsSpan(offset));
            nalUnits.Add(accessUnit.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }

        var packets = new List<byte[]>();
        int i = 0;
        while (i < nalUnits.Count)
        {
            // STAP-A for parameter sets and SEI with what follows them, as libwebrtc does: as many units as
            // fit, when at least two do. Slices otherwise go alone or in FU-A fragments.
            int end = i;
            int size = 1;
            while (end < nalUnits.Count && (nalUnits[i][0] & 0x1F) is 6 or 7 or 8 or 9 && size + 2 + nalUnits[end].Length <= MaxPayload)
            {
                size += 2 + nalUnits[end].Length;
                end++;
            }

            if (end - i >= 2)
            {
                byte[] stap = new byte[size];
                int nri = 0;
                int at = 1;
                for (int n = i; n < end; n++)
                {
                    nri = Math.Max(nri, nalUnits[n][0] & 0x60);
                    BinaryPrimitives.WriteUInt16BigEndian(stap.AsSpan(at), (ushort)nalUnits[n].Length);
                    nalUnits[n].CopyTo(stap, at + 2);
                    at += 2 + nalUnits[n].Length;
                }

                stap[0] = (byte)(nri | 24);
                packets.Add(stap);
                i = end;
                continue;
            }

            byte[] nal = nalUnits[i++];
            if (nal.Length <= MaxPayload)
            {
                packets.Add(nal);
                continue;
            }

            for (int offset = 1; offset < nal.Length; offset += MaxPayload - 2)
            {
                int length = Math.Min(MaxPayload - 2, nal.Length - offset);
                byte[] fu = new byte[2 + length];
                fu[0] = (byte)((nal[0] & 0xE0) | 28);
                fu[1] = (byte)((nal[0] & 0x1F) | (offset == 1 ? 0x80 : 0) | (offset + length == nal.Length ? 0x40 : 0));
                nal.AsSpan(offset, length).CopyTo(fu.AsSpan(2));
                packets.Add(fu);
            }
        }

        var result = new List<(byte[], bool)>(packets.Count);
        for (int p = 0; p < packets.Count; p++)
        {
            result.Add((packets[p], p == packets.Count - 1));
        }

        return result;
    }

    public static List<(byte[] Payload, bool Marker)> Opus(byte[] packet) => [(packet, false)];

    public static byte[] Rtp(byte payloadType, bool marker, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload)
    {
        byte[] packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        payload.CopyTo(packet.AsSpan(12));
        return packet;
    }

    /// <summary>An RTCP sender report with no report blocks (RFC 3550 section 6.4.1).</summary>
    public static byte[] SenderReport(uint ssrc, ulong ntp, uint rtpTimestamp, uint packets, uint octets)
    {
        byte[] report = new byte[28];
        report[0] = 0x80;
        report[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(report.AsSpan(2), 6);
        BinaryPrimitives.WriteUInt32BigEndian(report.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(report.AsSpan(8), ntp);
        BinaryPrimitives.WriteUInt32BigEndian(report.AsSpan(16), rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(report.AsSpan(20), packets);
        BinaryPrimitives.WriteUInt32BigEndian(report.AsSpan(24), octets);
        return report;
    }
}
