using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>Truncated, corrupted and random datagrams: refused without throwing, never authenticated, state untouched.</summary>
public class SrtpHostileInputTests
{
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void UnprotectRtp_RefusesEveryTruncatedPrefix(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[] rtp = RtpPacket(0x7777, 321, 90, csrcCount: 2, extensionWords: 2);
        byte[] srtp = ProtectRtp(sender, rtp);

        for (int length = 0; length < srtp.Length; length++)
        {
            Assert.NotEqual(SrtpError.None, UnprotectRtp(receiver, srtp[..length]).Error);
        }

        Assert.Equal(0, receiver.SsrcCount);
        (SrtpError error, byte[] plain) = UnprotectRtp(receiver, srtp);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(rtp, plain);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void UnprotectRtcp_RefusesEveryTruncatedPrefix(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[] rtcp = RtcpPacket(0x8888, 52);
        byte[] srtcp = ProtectRtcp(sender, rtcp);

        for (int length = 0; length < srtcp.Length; length++)
        {
            Assert.NotEqual(SrtpError.None, UnprotectRtcp(receiver, srtcp[..length]).Error);
        }

        Assert.Equal(0, receiver.SsrcCount);
        (SrtpError error, byte[] plain) = UnprotectRtcp(receiver, srtcp);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(rtcp, plain);
    }

    [Theory]
    [InlineData(12, SrtpError.TooShort)]
    [InlineData(28, SrtpError.BadHeader)]
    public void UnprotectRtp_ReportsWhyAShortOrMalformedPacketWasRefused(int length, SrtpError expected)
    {
        (_, SrtpSession receiver) = Pair(SrtpProfile.AeadAes128Gcm);
        var packet = new byte[length];
        packet[0] = 0x8F;

        Assert.Equal(expected, UnprotectRtp(receiver, packet).Error);
    }

    /// <summary>
    /// 200 seeds, each corrupting protected RTP and RTCP packets of every profile in 20 ways: flipped
    /// bits, overwritten bytes, bytes cut off or added. None may throw and none may authenticate;
    /// the genuine packets still decrypt afterwards, so nothing was committed.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void RandomCorruption_NeverThrowsAndNeverAuthenticates(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            uint ssrc = (uint)random.Next(1, 4);
            byte[] rtp = RtpPacket(ssrc, (ushort)(seed * 37), random.Next(0, 200), random.Next(0, 4), random.Next(-1, 3));
            byte[] rtcp = RtcpPacket(ssrc, random.Next(0, 20) * 4);
            byte[] srtp = ProtectRtp(sender, rtp);
            byte[] srtcp = ProtectRtcp(sender, rtcp);

            for (int mutation = 0; mutation < 20; mutation++)
            {
                Assert.NotEqual(SrtpError.None, UnprotectRtp(receiver, Corrupt(srtp, random)).Error);
                Assert.NotEqual(SrtpError.None, UnprotectRtcp(receiver, Corrupt(srtcp, random)).Error);
            }

            (SrtpError rtpError, byte[] plainRtp) = UnprotectRtp(receiver, srtp);
            (SrtpError rtcpError, byte[] plainRtcp) = UnprotectRtcp(receiver, srtcp);
            Assert.Equal(SrtpError.None, rtpError);
            Assert.Equal(rtp, plainRtp);
            Assert.Equal(SrtpError.None, rtcpError);
            Assert.Equal(rtcp, plainRtcp);
        }
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void RandomDatagrams_NeverThrowAndNeverCreateState(SrtpProfile profile)
    {
        (_, SrtpSession receiver) = Pair(profile);
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            for (int i = 0; i < 20; i++)
            {
                var datagram = new byte[random.Next(0, 300)];
                random.NextBytes(datagram);
                if (datagram.Length > 0 && random.Next(2) == 0)
                {
                    datagram[0] = (byte)(0x80 | (datagram[0] & 0x3F));
                }

                Assert.NotEqual(SrtpError.None, UnprotectRtp(receiver, datagram).Error);
                Assert.NotEqual(SrtpError.None, UnprotectRtcp(receiver, datagram).Error);
            }
        }

        Assert.Equal(0, receiver.SsrcCount);
    }

    private static byte[] Corrupt(byte[] packet, Random random)
    {
        byte[] copy = (byte[])packet.Clone();
        switch (random.Next(4))
        {
            case 0:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                int at = random.Next(copy.Length);
                copy[at] = (byte)(copy[at] + random.Next(1, 256));
                return copy;
            case 2:
                return copy[..random.Next(copy.Length)];
            default:
                var extra = new byte[random.Next(1, 20)];
                random.NextBytes(extra);
                return [.. copy, .. extra];
        }
    }
}
