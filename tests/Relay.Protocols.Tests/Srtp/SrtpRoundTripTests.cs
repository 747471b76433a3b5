using System.Buffers.Binary;
using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

public class SrtpRoundTripTests
{
    public static TheoryData<SrtpProfile, int, int, int> RtpShapes()
    {
        var data = new TheoryData<SrtpProfile, int, int, int>();
        foreach (SrtpProfile profile in Profiles)
        {
            foreach ((int csrcs, int extensionWords) in new[] { (0, -1), (1, -1), (15, -1), (0, 0), (0, 3), (4, 2), (15, 255) })
            {
                foreach (int payload in new[] { 0, 1, 16, 17, 160, 1200 })
                {
                    data.Add(profile, csrcs, extensionWords, payload);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RtpShapes))]
    public void Rtp_RoundTripsWithCsrcsAndHeaderExtensions(SrtpProfile profile, int csrcs, int extensionWords, int payloadLength)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] rtp = RtpPacket(0x1122_3344, 4711, payloadLength, csrcs, extensionWords);
            int headerLength = rtp.Length - payloadLength;

            byte[] srtp = ProtectRtp(sender, rtp);
            Assert.Equal(rtp.Length + profile.RtpTagLength, srtp.Length);
            Assert.Equal(rtp[..headerLength], srtp[..headerLength]);
            if (payloadLength >= 16)
            {
                Assert.NotEqual(rtp[headerLength..], srtp[headerLength..rtp.Length]);
            }

            (SrtpError error, byte[] plain) = UnprotectRtp(receiver, srtp);
            Assert.Equal(SrtpError.None, error);
            Assert.Equal(rtp, plain);
        }
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Rtcp_RoundTripsForCompoundSizes(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            foreach (int body in new[] { 0, 4, 20, 24, 76, 1200 })
            {
                byte[] rtcp = RtcpPacket(0xCAFE_0001, body);
                byte[] srtcp = ProtectRtcp(sender, rtcp);
                Assert.Equal(rtcp.Length + 4 + profile.RtcpTagLength, srtcp.Length);
                Assert.Equal(rtcp[..8], srtcp[..8]);

                (SrtpError error, byte[] plain) = UnprotectRtcp(receiver, srtcp);
                Assert.Equal(SrtpError.None, error);
                Assert.Equal(rtcp, plain);
            }
        }
    }

    /// <summary>
    /// Every byte our session emits equals the plain reference implementation's, for sequence numbers
    /// running across two wraps (so the rollover counter in the IV and the HMAC is exercised), with
    /// CSRCs and extensions on some packets.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtp_MatchesTheReferenceImplementationAcrossRollovers(SrtpProfile profile)
    {
        byte[] key = MasterKey(profile, seed: 9);
        byte[] salt = MasterSalt(profile, seed: 9);
        using var sender = new SrtpSession(profile, key, salt);
        var random = new Random(3711);
        uint rolloverCounter = 0;
        ushort sequence = 65000;
        for (int n = 0; n < 1200; n++, sequence += 97)
        {
            if (n > 0 && sequence < 97)
            {
                rolloverCounter++;
            }

            int csrcs = random.Next(0, 3);
            int extension = random.Next(-1, 3);
            byte[] rtp = RtpPacket(0xDEAD_BEEF, sequence, random.Next(0, 300), csrcs, extension);
            int headerLength = 12 + (csrcs * 4) + (extension >= 0 ? 4 + (extension * 4) : 0);

            if (n % 50 == 0 || sequence < 97)
            {
                Assert.Equal(
                    ReferenceSrtp.ProtectRtp(profile, key, salt, rtp, headerLength, rolloverCounter),
                    ProtectRtp(sender, rtp));
            }
            else
            {
                ProtectRtp(sender, rtp);
            }
        }

        Assert.True(sender.TryGetRolloverCounter(0xDEAD_BEEF, out uint finalRoc));
        Assert.Equal(rolloverCounter, finalRoc);
        Assert.True(finalRoc >= 2);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtcp_MatchesTheReferenceImplementationAndCountsIndicesFromZero(SrtpProfile profile)
    {
        byte[] key = MasterKey(profile, seed: 5);
        byte[] salt = MasterSalt(profile, seed: 5);
        using var sender = new SrtpSession(profile, key, salt);
        for (uint index = 0; index < 5; index++)
        {
            byte[] rtcp = RtcpPacket(0x0BAD_CAFE, 28 + (int)(index * 4));
            Assert.Equal(ReferenceSrtp.ProtectRtcp(profile, key, salt, rtcp, index), ProtectRtcp(sender, rtcp));
        }
    }

    /// <summary>RFC 3711 section 3.4: the E flag may be clear; the packet is then only authenticated.</summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void UnprotectRtcp_AcceptsAnAuthenticatedButUnencryptedPacket(SrtpProfile profile)
    {
        byte[] key = MasterKey(profile);
        byte[] salt = MasterSalt(profile);
        using var receiver = new SrtpSession(profile, key, salt);
        byte[] rtcp = RtcpPacket(0x5555_0001, 40);
        byte[] srtcp = ReferenceSrtp.ProtectRtcp(profile, key, salt, rtcp, index: 7, encrypt: false);

        (SrtpError error, byte[] plain) = UnprotectRtcp(receiver, srtcp);

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(rtcp, plain);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Unprotect_AcceptsPacketsTheReferenceImplementationProtected(SrtpProfile profile)
    {
        byte[] key = MasterKey(profile, seed: 2);
        byte[] salt = MasterSalt(profile, seed: 2);
        using var receiver = new SrtpSession(profile, key, salt);
        for (ushort sequence = 100; sequence < 110; sequence++)
        {
            byte[] rtp = RtpPacket(77, sequence, 200, csrcCount: 2, extensionWords: 1);
            byte[] srtp = ReferenceSrtp.ProtectRtp(profile, key, salt, rtp, 12 + 8 + 8, rolloverCounter: 0);
            (SrtpError error, byte[] plain) = UnprotectRtp(receiver, srtp);
            Assert.Equal(SrtpError.None, error);
            Assert.Equal(rtp, plain);
        }
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Protect_ReportsBufferTooSmallAndLeavesThePacketAlone(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] rtp = RtpPacket(1, 1, 100);
            byte[] tight = [.. rtp, .. new byte[profile.RtpTagLength - 1]];
            Assert.Equal(SrtpError.BufferTooSmall, sender.ProtectRtp(tight, rtp.Length, out int length));
            Assert.Equal(0, length);
            Assert.Equal(rtp, tight[..rtp.Length]);

            byte[] rtcp = RtcpPacket(1);
            byte[] tightRtcp = [.. rtcp, .. new byte[sender.RtcpTrailerLength - 1]];
            Assert.Equal(SrtpError.BufferTooSmall, sender.ProtectRtcp(tightRtcp, rtcp.Length, out _));
            Assert.Equal(0, sender.SsrcCount);

            // Nothing was consumed: the first index each stream then uses is still the first one.
            byte[] srtp = ProtectRtp(sender, rtp);
            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, srtp).Error);
            byte[] srtcp = ProtectRtcp(sender, rtcp);
            Assert.Equal(0x8000_0000u, BinaryPrimitives.ReadUInt32BigEndian(srtcp.AsSpan(sender.Profile.IsAead ? srtcp.Length - 4 : rtcp.Length)));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x60, 0, 1 }, SrtpError.TooShort)]
    [InlineData(new byte[] { 0x40, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, SrtpError.BadHeader)]
    [InlineData(new byte[] { 0x81, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, SrtpError.BadHeader)]
    [InlineData(new byte[] { 0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1 }, SrtpError.BadHeader)]
    public void ProtectRtp_RefusesMalformedRtp(byte[] rtp, SrtpError expected)
    {
        using var sender = new SrtpSession(SrtpProfile.AeadAes128Gcm, MasterKey(SrtpProfile.AeadAes128Gcm), MasterSalt(SrtpProfile.AeadAes128Gcm));
        byte[] buffer = [.. rtp, .. new byte[64]];

        Assert.Equal(expected, sender.ProtectRtp(buffer, rtp.Length, out _));
        Assert.Equal(0, sender.SsrcCount);
    }

    [Fact]
    public void ProtectRtcp_RefusesShortOrWrongVersionRtcp()
    {
        using var sender = new SrtpSession(SrtpProfile.AesCm128HmacSha1Tag80, MasterKey(SrtpProfile.AesCm128HmacSha1Tag80), MasterSalt(SrtpProfile.AesCm128HmacSha1Tag80));
        var buffer = new byte[64];
        buffer[0] = 0x80;
        Assert.Equal(SrtpError.TooShort, sender.ProtectRtcp(buffer, 7, out _));
        buffer[0] = 0x40;
        Assert.Equal(SrtpError.BadHeader, sender.ProtectRtcp(buffer, 8, out _));
    }

    [Fact]
    public void Protect_ThrowsWhenLengthExceedsTheBuffer()
    {
        using var sender = new SrtpSession(SrtpProfile.AeadAes128Gcm, MasterKey(SrtpProfile.AeadAes128Gcm), MasterSalt(SrtpProfile.AeadAes128Gcm));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.ProtectRtp(new byte[20], 21, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.ProtectRtcp(new byte[20], -1, out _));
    }

    [Fact]
    public void Session_WorksInOneDirectionOnly()
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(SrtpProfile.AeadAes128Gcm);
        using (sender)
        using (receiver)
        {
            byte[] srtp = ProtectRtp(sender, RtpPacket(1, 1, 10));
            Assert.Throws<InvalidOperationException>(() => sender.UnprotectRtp(srtp, out _));
            Assert.Throws<InvalidOperationException>(() => sender.UnprotectRtcp(srtp, out _));

            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, srtp).Error);
            Assert.Throws<InvalidOperationException>(() => receiver.ProtectRtcp(new byte[64], 8, out _));
        }
    }

    [Fact]
    public void Session_ThrowsAfterDispose()
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(SrtpProfile.AesCm128HmacSha1Tag80);
        byte[] srtp = ProtectRtp(sender, RtpPacket(1, 1, 10));
        sender.Dispose();
        receiver.Dispose();
        receiver.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sender.ProtectRtp(new byte[64], 20, out _));
        Assert.Throws<ObjectDisposedException>(() => receiver.UnprotectRtp(srtp, out _));
        Assert.Throws<ObjectDisposedException>(() => receiver.SetRolloverCounter(1, 1));
    }
}
