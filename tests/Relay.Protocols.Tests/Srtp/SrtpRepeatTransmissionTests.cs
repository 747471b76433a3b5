using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>
/// The explicit opt-in to protect an already-used index again (libsrtp's allow_repeat_tx), which a
/// relay uses to retransmit a packet under its original sequence number to a viewer without RTX.
/// </summary>
public class SrtpRepeatTransmissionTests
{
    private const uint Ssrc = 0x0A0B_0C0D;

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtp_RefusesAnIndexAlreadyUsed(SrtpProfile profile)
    {
        (SrtpSession sender, _) = Pair(profile);
        byte[] rtp = RtpPacket(Ssrc, 10, 100);
        ProtectRtp(sender, rtp);

        byte[] buffer = new byte[rtp.Length + 32];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.Replayed, sender.ProtectRtp(buffer, rtp.Length, out _));
        Assert.Equal(rtp, buffer[..rtp.Length]);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtpRetransmission_GivesTheSameBytesForTheSamePacket_AndTheReceiverTakesItIfTheFirstWasLost(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[] first = ProtectRtp(sender, RtpPacket(Ssrc, 10, 100));
        byte[] lost = ProtectRtp(sender, RtpPacket(Ssrc, 11, 100));
        byte[] third = ProtectRtp(sender, RtpPacket(Ssrc, 12, 100));

        byte[] rtp = RtpPacket(Ssrc, 11, 100);
        byte[] buffer = new byte[rtp.Length + 32];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, sender.ProtectRtpRetransmission(buffer, rtp.Length, out int protectedLength));
        byte[] again = buffer[..protectedLength];
        Assert.Equal(lost, again);

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, first).Error);
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, third).Error);
        (SrtpError error, byte[] plain) = UnprotectRtp(receiver, again);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(rtp, plain);
        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, lost).Error);
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtpRetransmission_OfANewIndex_IsAnOrdinaryProtect(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        byte[] rtp = RtpPacket(Ssrc, 500, 60);
        byte[] buffer = new byte[rtp.Length + 32];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, sender.ProtectRtpRetransmission(buffer, rtp.Length, out int protectedLength));
        Assert.Equal(rtp, UnprotectRtp(receiver, buffer[..protectedLength]).Plain);

        // The index is now used: the ordinary call refuses it.
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.Replayed, sender.ProtectRtp(buffer, rtp.Length, out _));
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectRtpRetransmission_StillRefusesAnIndexOlderThanTheWindow(SrtpProfile profile)
    {
        (SrtpSession sender, _) = Pair(profile);
        for (int s = 0; s < 200; s++)
        {
            ProtectRtp(sender, RtpPacket(Ssrc, (ushort)s, 20));
        }

        byte[] rtp = RtpPacket(Ssrc, 199 - SrtpSession.ReplayWindowSize, 20);
        byte[] buffer = new byte[rtp.Length + 32];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.TooOld, sender.ProtectRtpRetransmission(buffer, rtp.Length, out _));
        Assert.Equal(rtp, buffer[..rtp.Length]);
    }
}
