using System.Buffers.Binary;
using Relay.Testing;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>
/// What an attacker or a broken client can throw at the media port without knowing any session:
/// random bytes; every truncation and seeded corruptions of a STUN Binding request, a DTLS
/// ClientHello record and an RTP packet; and a flood of RTP and RTCP packets with unknown SSRCs.
/// Seeded, so a failure can be replayed.
/// </summary>
internal static class HostileDatagrams
{
    public static IEnumerable<byte[]> All(int seed, int randomCount, int floodCount)
    {
        var random = new Random(seed);
        for (int i = 0; i < randomCount; i++)
        {
            byte[] datagram = new byte[random.Next(1, 1400)];
            random.NextBytes(datagram);
            yield return datagram;
        }

        foreach (byte[] valid in (byte[][])[StunBindingRequest(random), DtlsClientHelloRecord(random), Rtp(random, ssrc: (uint)random.Next(), payloadLength: 200)])
        {
            foreach (byte[] truncated in HostileInput.Truncations(valid))
            {
                yield return truncated;
            }

            foreach ((int _, byte[] corrupted) in HostileInput.Corruptions(valid, seeds: 20, perSeed: 10))
            {
                yield return corrupted;
            }
        }

        for (int i = 0; i < floodCount; i++)
        {
            yield return i % 10 == 9
                ? RtcpReceiverReport(random, (uint)random.Next())
                : Rtp(random, (uint)random.Next(), random.Next(20, 1200));
        }
    }

    /// <summary>
    /// What a peer whose address passed the ICE check can send instead of a DTLS handshake:
    /// <paramref name="dtlsCount"/> junk DTLS records (content types 20 to 63), then
    /// <paramref name="rtpCount"/> RTP and RTCP packets with unknown SSRCs and no valid SRTP tag.
    /// </summary>
    public static IEnumerable<byte[]> FromValidatedPeer(int seed, int dtlsCount, int rtpCount)
    {
        var random = new Random(seed);
        for (int i = 0; i < dtlsCount; i++)
        {
            byte[] record = DtlsClientHelloRecord(random);
            record[0] = (byte)random.Next(20, 64);
            yield return i % 2 == 0 ? record : record[..random.Next(1, record.Length)];
        }

        for (int i = 0; i < rtpCount; i++)
        {
            yield return i % 10 == 9
                ? RtcpReceiverReport(random, (uint)random.Next())
                : Rtp(random, (uint)random.Next(), random.Next(20, 1200));
        }
    }

    /// <summary>
    /// RFC 5389 Binding request with a USERNAME for a session that does not exist and a
    /// MESSAGE-INTEGRITY that cannot verify.
    /// </summary>
    private static byte[] StunBindingRequest(Random random)
    {
        byte[] username = "nosuchufrag:peer"u8.ToArray();
        int usernamePadded = (username.Length + 3) & ~3;
        int length = 4 + usernamePadded + 4 + 20;
        byte[] message = new byte[20 + length];
        BinaryPrimitives.WriteUInt16BigEndian(message, 0x0001);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), 0x2112A442);
        random.NextBytes(message.AsSpan(8, 12));
        int at = 20;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), 0x0006);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 2), (ushort)username.Length);
        username.CopyTo(message, at + 4);
        at += 4 + usernamePadded;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), 0x0008);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 2), 20);
        random.NextBytes(message.AsSpan(at + 4, 20));
        return message;
    }

    /// <summary>A DTLS 1.2 handshake record (content type 22, version FE FD) holding a ClientHello's first bytes.</summary>
    private static byte[] DtlsClientHelloRecord(Random random)
    {
        byte[] record = new byte[13 + 60];
        record[0] = 22;
        record[1] = 0xFE;
        record[2] = 0xFD;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), 60);
        record[13] = 1;
        random.NextBytes(record.AsSpan(14));
        return record;
    }

    /// <summary>RTP version 2, payload type 96, with a random sequence number and timestamp.</summary>
    private static byte[] Rtp(Random random, uint ssrc, int payloadLength)
    {
        byte[] packet = new byte[12 + payloadLength];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)random.Next());
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)random.Next());
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        random.NextBytes(packet.AsSpan(12));
        return packet;
    }

    /// <summary>An RTCP receiver report (PT 201) with no report blocks.</summary>
    private static byte[] RtcpReceiverReport(Random random, uint ssrc)
    {
        byte[] packet = new byte[8 + 10];
        packet[0] = 0x80;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        random.NextBytes(packet.AsSpan(8));
        return packet;
    }
}
