using System.Buffers.Binary;
using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>
/// Rollover counter estimation (RFC 3711 section 3.3.1, appendix A) and replay protection
/// (section 3.3.2), and the rule that only authenticated packets change any of it.
/// </summary>
public class SrtpReplayTests
{
    private const uint Ssrc = 0x0A0B_0C0D;

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Unprotect_RejectsReplayedPacket(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[] srtp = ProtectRtp(sender, RtpPacket(Ssrc, 10, 100));

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, srtp).Error);
        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, srtp).Error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Unprotect_AcceptsOutOfOrderPacketsInsideTheWindowOnce(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[][] packets = Enumerable.Range(1000, 200).Select(s => ProtectRtp(sender, RtpPacket(Ssrc, (ushort)s, 20))).ToArray();

        // Deliver all but 1000 + 72 and the first one; then the newest minus 127, the window's edge.
        for (int i = 1; i < packets.Length; i++)
        {
            if (i != 72)
            {
                Assert.Equal(SrtpError.None, UnprotectRtp(receiver, packets[i]).Error);
            }
        }

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, packets[199 - 127]).Error);
        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, packets[199 - 127]).Error);
        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, packets[199 - 126]).Error);
        Assert.Equal(SrtpError.TooOld, UnprotectRtp(receiver, packets[199 - 128]).Error);
        Assert.Equal(SrtpError.TooOld, UnprotectRtp(receiver, packets[0]).Error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void SequenceWrap_IncrementsTheRolloverCounterOnBothSides(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        for (int s = 65500; s < 65536 + 40; s++)
        {
            byte[] rtp = RtpPacket(Ssrc, (ushort)s, 50);
            (SrtpError error, byte[] plain) = UnprotectRtp(receiver, ProtectRtp(sender, rtp));
            Assert.Equal(SrtpError.None, error);
            Assert.Equal(rtp, plain);
        }

        Assert.True(sender.TryGetRolloverCounter(Ssrc, out uint senderRoc));
        Assert.True(receiver.TryGetRolloverCounter(Ssrc, out uint receiverRoc));
        Assert.Equal(1u, senderRoc);
        Assert.Equal(1u, receiverRoc);
    }

    /// <summary>
    /// The stream starts at 65533 and wraps after three packets; the receiver sees the packets
    /// around the wrap out of order (65535 after 0 and 1), which the estimation must place in ROC 0.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void LateStartNear65535_WrapsAndPlacesReorderedPacketsInTheRightRollover(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        ushort[] sent = [65533, 65534, 65535, 0, 1, 2];
        byte[][] packets = sent.Select(s => ProtectRtp(sender, RtpPacket(Ssrc, s, 30))).ToArray();

        foreach (int i in new[] { 0, 1, 3, 4, 2, 5 })
        {
            (SrtpError error, byte[] plain) = UnprotectRtp(receiver, packets[i]);
            Assert.Equal(SrtpError.None, error);
            Assert.Equal(RtpPacket(Ssrc, sent[i], 30), plain);
        }

        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, packets[2]).Error);
        Assert.True(receiver.TryGetRolloverCounter(Ssrc, out uint roc));
        Assert.Equal(1u, roc);
    }

    /// <summary>
    /// A receiver joining a stream whose sender is in rollover 3 cannot guess it (RFC 3711 section
    /// 3.3.1 has it signalled out of band). Without it the packets fail and leave nothing behind;
    /// with it they decrypt, and the estimation carries on from there across the next wrap.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ReceiverJoiningMidStream_DecryptsOnceTheSendersRolloverCounterIsSignalled(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        Assert.True(sender.SetRolloverCounter(Ssrc, 3));
        byte[][] packets = Enumerable.Range(65530, 12).Select(s => ProtectRtp(sender, RtpPacket(Ssrc, (ushort)s, 40))).ToArray();

        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtp(receiver, packets[0]).Error);
        Assert.Equal(0, receiver.SsrcCount);

        Assert.True(receiver.SetRolloverCounter(Ssrc, 3));
        Assert.True(receiver.TryGetRolloverCounter(Ssrc, out uint before));
        Assert.Equal(3u, before);
        foreach (byte[] packet in packets)
        {
            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, packet).Error);
        }

        Assert.True(receiver.TryGetRolloverCounter(Ssrc, out uint after));
        Assert.Equal(4u, after);
        Assert.False(receiver.SetRolloverCounter(Ssrc, 9));
    }

    /// <summary>
    /// The attack replay-before-commit exists to stop: a forged packet whose sequence number would
    /// move the rollover counter or the window far ahead. It must fail and change nothing, so older
    /// genuine packets still inside the window and the next genuine one all decrypt.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ForgedFarFuturePacket_DoesNotAdvanceRolloverCounterOrWindow(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[][] packets = Enumerable.Range(40000, 60).Select(s => ProtectRtp(sender, RtpPacket(Ssrc, (ushort)s, 64))).ToArray();
        for (int i = 0; i < 50; i += 2)
        {
            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, packets[i]).Error);
        }

        foreach (ushort forgedSequence in new ushort[] { 40048 + 20000, 100, 7000 })
        {
            // 100 and 7000 are estimated as the next rollover (ROC + 1): a jump of ~2^16 packets.
            byte[] forged = (byte[])packets[49].Clone();
            BinaryPrimitives.WriteUInt16BigEndian(forged.AsSpan(2), forgedSequence);
            Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtp(receiver, forged).Error);
        }

        Assert.True(receiver.TryGetRolloverCounter(Ssrc, out uint roc));
        Assert.Equal(0u, roc);
        for (int i = 1; i < 60; i += 2)
        {
            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, packets[i]).Error);
        }

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, packets[50]).Error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void PacketWithBadTagFromUnknownSsrc_CreatesNoState(SrtpProfile profile)
    {
        (SrtpSession sender, _) = Pair(profile);
        (_, SrtpSession receiver) = Pair(profile, maxSsrcs: 1);
        byte[] forged = ProtectRtp(sender, RtpPacket(0xBAD, 1, 100));
        forged[^1] ^= 0x40;
        byte[] forgedRtcp = ProtectRtcp(sender, RtcpPacket(0xBAD));
        forgedRtcp[10] ^= 0x01;

        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtp(receiver, forged).Error);
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtcp(receiver, forgedRtcp).Error);
        Assert.Equal(0, receiver.SsrcCount);
        Assert.False(receiver.TryGetRolloverCounter(0xBAD, out _));

        // The only slot is still free for a genuine stream, and then full.
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(0x600D, 1, 100))).Error);
        Assert.Equal(1, receiver.SsrcCount);
        Assert.Equal(SrtpError.TooManySsrcs, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(0xBAD, 2, 100))).Error);
        Assert.Equal(SrtpError.TooManySsrcs, UnprotectRtcp(receiver, ProtectRtcp(sender, RtcpPacket(0xBAD))).Error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void SsrcTable_RefusesNewStreamsBeyondTheLimitOnBothSides(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile, maxSsrcs: 3);
        for (uint ssrc = 1; ssrc <= 3; ssrc++)
        {
            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(ssrc, 1, 10))).Error);
        }

        byte[] buffer = [.. RtpPacket(4, 1, 10), .. new byte[16]];
        Assert.Equal(SrtpError.TooManySsrcs, sender.ProtectRtp(buffer, buffer.Length - 16, out _));
        Assert.False(receiver.SetRolloverCounter(4, 0));

        Assert.True(sender.RemoveSsrc(2));
        Assert.True(receiver.RemoveSsrc(2));
        Assert.False(receiver.RemoveSsrc(2));
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(4, 1, 10))).Error);
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(3, 2, 10))).Error);
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(1, 2, 10))).Error);
        Assert.Equal(3, receiver.SsrcCount);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtp_RefusesToReuseAnIndex(SrtpProfile profile)
    {
        (SrtpSession sender, _) = Pair(profile);
        byte[] rtp = RtpPacket(Ssrc, 500, 32);
        ProtectRtp(sender, rtp);
        for (int s = 501; s < 501 + 200; s++)
        {
            ProtectRtp(sender, RtpPacket(Ssrc, (ushort)s, 32));
        }

        byte[] buffer = [.. RtpPacket(Ssrc, 600, 32), .. new byte[16]];
        Assert.Equal(SrtpError.Replayed, sender.ProtectRtp(buffer, buffer.Length - 16, out _));
        byte[] old = [.. rtp, .. new byte[16]];
        Assert.Equal(SrtpError.TooOld, sender.ProtectRtp(old, rtp.Length, out _));
        Assert.Equal(rtp, old[..rtp.Length]);

        // A packet skipped earlier inside the window may still be sent once (a late retransmission).
        ProtectRtp(sender, RtpPacket(Ssrc, 1000, 32));
        ProtectRtp(sender, RtpPacket(Ssrc, 999, 32));
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Srtcp_RejectsReplaysAndTooOldIndicesAndAcceptsReorderingOnce(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[][] packets = Enumerable.Range(0, 140).Select(_ => ProtectRtcp(sender, RtcpPacket(Ssrc))).ToArray();

        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, packets[139]).Error);
        Assert.Equal(SrtpError.Replayed, UnprotectRtcp(receiver, packets[139]).Error);
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, packets[139 - 127]).Error);
        Assert.Equal(SrtpError.Replayed, UnprotectRtcp(receiver, packets[139 - 127]).Error);
        Assert.Equal(SrtpError.TooOld, UnprotectRtcp(receiver, packets[139 - 128]).Error);
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, packets[100]).Error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ForgedSrtcpWithAFarFutureIndex_DoesNotMoveTheWindow(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[][] packets = Enumerable.Range(0, 10).Select(_ => ProtectRtcp(sender, RtcpPacket(Ssrc))).ToArray();
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, packets[5]).Error);

        byte[] forged = (byte[])packets[6].Clone();
        int indexOffset = profile.IsAead ? forged.Length - 4 : forged.Length - profile.RtcpTagLength - 4;
        BinaryPrimitives.WriteUInt32BigEndian(forged.AsSpan(indexOffset), 0x8000_0000u | 0x7FFF_0000u);
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtcp(receiver, forged).Error);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i == 5 ? SrtpError.Replayed : SrtpError.None, UnprotectRtcp(receiver, packets[i]).Error);
        }
    }

    [Fact]
    public void Srtcp_IndexCountsPerSsrcFromZero()
    {
        (SrtpSession sender, _) = Pair(SrtpProfile.AesCm128HmacSha1Tag80);
        uint Index(byte[] srtcp) => BinaryPrimitives.ReadUInt32BigEndian(srtcp.AsSpan(srtcp.Length - 14));

        Assert.Equal(0x8000_0000u, Index(ProtectRtcp(sender, RtcpPacket(1))));
        Assert.Equal(0x8000_0001u, Index(ProtectRtcp(sender, RtcpPacket(1))));
        Assert.Equal(0x8000_0000u, Index(ProtectRtcp(sender, RtcpPacket(2))));
        Assert.Equal(0x8000_0002u, Index(ProtectRtcp(sender, RtcpPacket(1))));
    }
}
