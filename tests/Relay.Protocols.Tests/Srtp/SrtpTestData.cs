using System.Buffers.Binary;
using Relay.Protocols.Srtp;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>Packets, keys and profile lists shared by the SRTP tests.</summary>
internal static class SrtpTestData
{
    public static readonly SrtpProfile[] Profiles =
    [
        SrtpProfile.AesCm128HmacSha1Tag80,
        SrtpProfile.AesCm128HmacSha1Tag32,
        SrtpProfile.AeadAes128Gcm,
        SrtpProfile.AeadAes256Gcm,
    ];

    public static TheoryData<SrtpProfile> AllProfiles => [.. Profiles];

    /// <summary>Hex with optional whitespace, as RFCs print it.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static byte[] MasterKey(SrtpProfile profile, byte seed = 1) =>
        Enumerable.Range(0, profile.MasterKeyLength).Select(i => (byte)(seed * 31 + i * 7)).ToArray();

    public static byte[] MasterSalt(SrtpProfile profile, byte seed = 1) =>
        Enumerable.Range(0, profile.MasterSaltLength).Select(i => (byte)(seed * 17 + i * 11 + 3)).ToArray();

    /// <summary>A sender and a receiver sharing one master key and salt.</summary>
    public static (SrtpSession Sender, SrtpSession Receiver) Pair(SrtpProfile profile, int maxSsrcs = SrtpSession.DefaultMaxSsrcs) =>
        (new SrtpSession(profile, MasterKey(profile), MasterSalt(profile), maxSsrcs),
         new SrtpSession(profile, MasterKey(profile), MasterSalt(profile), maxSsrcs));

    /// <summary>
    /// An RTP packet with <paramref name="csrcCount"/> CSRCs, a one-byte-header extension of
    /// <paramref name="extensionWords"/> words when that is not negative, and a patterned payload.
    /// </summary>
    public static byte[] RtpPacket(uint ssrc, ushort sequenceNumber, int payloadLength, int csrcCount = 0, int extensionWords = -1, byte payloadType = 96)
    {
        int headerLength = 12 + (csrcCount * 4) + (extensionWords >= 0 ? 4 + (extensionWords * 4) : 0);
        var packet = new byte[headerLength + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords >= 0 ? 0x10 : 0) | csrcCount);
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 0x1234_5678u + sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        int offset = 12;
        for (int i = 0; i < csrcCount; i++, offset += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset), 0xC5C0_0000u + (uint)i);
        }

        if (extensionWords >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)extensionWords);
            offset += 4;
            for (int i = 0; i < extensionWords * 4; i++)
            {
                packet[offset++] = (byte)(0xE0 + i);
            }
        }

        for (int i = 0; i < payloadLength; i++)
        {
            packet[offset + i] = (byte)(i * 13 + sequenceNumber);
        }

        return packet;
    }

    /// <summary>An RTCP receiver report from <paramref name="ssrc"/> padded with <paramref name="bodyLength"/> patterned bytes.</summary>
    public static byte[] RtcpPacket(uint ssrc, int bodyLength = 24)
    {
        var packet = new byte[8 + bodyLength];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (int i = 0; i < bodyLength; i++)
        {
            packet[8 + i] = (byte)(i * 7 + 1);
        }

        return packet;
    }

    /// <summary>Protects <paramref name="rtp"/> and returns the SRTP packet, asserting success.</summary>
    public static byte[] ProtectRtp(SrtpSession sender, byte[] rtp)
    {
        var buffer = new byte[rtp.Length + sender.RtpTrailerLength];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, sender.ProtectRtp(buffer, rtp.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    /// <summary>Protects <paramref name="rtcp"/> and returns the SRTCP packet, asserting success.</summary>
    public static byte[] ProtectRtcp(SrtpSession sender, byte[] rtcp)
    {
        var buffer = new byte[rtcp.Length + sender.RtcpTrailerLength];
        rtcp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, sender.ProtectRtcp(buffer, rtcp.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    /// <summary>Unprotects a copy of <paramref name="packet"/>, returning the error and the plain bytes.</summary>
    public static (SrtpError Error, byte[] Plain) UnprotectRtp(SrtpSession receiver, byte[] packet)
    {
        byte[] copy = (byte[])packet.Clone();
        SrtpError error = receiver.UnprotectRtp(copy, out int length);
        return (error, copy.AsSpan(0, length).ToArray());
    }

    public static (SrtpError Error, byte[] Plain) UnprotectRtcp(SrtpSession receiver, byte[] packet)
    {
        byte[] copy = (byte[])packet.Clone();
        SrtpError error = receiver.UnprotectRtcp(copy, out int length);
        return (error, copy.AsSpan(0, length).ToArray());
    }
}
