using System.Buffers.Binary;
using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>
/// The packet path allocates nothing once warmed up: protect and unprotect of 1200-byte packets.
/// Results are checked outside the measured loop, since xunit's asserts allocate.
/// </summary>
public class SrtpAllocationTests
{
    private const int Iterations = 2000;

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectAndUnprotectRtp_AllocateNothing(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] template = RtpPacket(0x1234, 0, 1200 - 12);
            var buffer = new byte[1200 + 16];
            ushort sequence = 0;
            int failures = 0;
            void RoundTrip()
            {
                template.CopyTo(buffer, 0);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence++);
                SrtpError protect = sender.ProtectRtp(buffer, template.Length, out int protectedLength);
                SrtpError unprotect = receiver.UnprotectRtp(buffer.AsSpan(0, protectedLength), out int plainLength);
                if (protect != SrtpError.None || unprotect != SrtpError.None || plainLength != template.Length)
                {
                    failures++;
                }
            }

            Assert.Equal(0, AllocatedBytes(RoundTrip));
            Assert.Equal(0, failures);
            Assert.Equal(template.AsSpan(12), buffer.AsSpan(12, template.Length - 12));
        }
    }

    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void ProtectAndUnprotectRtcp_AllocateNothing(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] template = RtcpPacket(0x1234, 92);
            var buffer = new byte[template.Length + 20];
            int failures = 0;
            void RoundTrip()
            {
                template.CopyTo(buffer, 0);
                SrtpError protect = sender.ProtectRtcp(buffer, template.Length, out int protectedLength);
                SrtpError unprotect = receiver.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out int plainLength);
                if (protect != SrtpError.None || unprotect != SrtpError.None || plainLength != template.Length)
                {
                    failures++;
                }
            }

            Assert.Equal(0, AllocatedBytes(RoundTrip));
            Assert.Equal(0, failures);
        }
    }

    /// <summary>Refusals on the AES-CM path (replay, bad tag) are as cheap as acceptance: no allocation either.</summary>
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1Tag80)]
    [InlineData(SrtpProfile.AesCm128HmacSha1Tag32)]
    public void RefusingForgedAndReplayedAesCmPackets_AllocatesNothing(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] srtp = ProtectRtp(sender, RtpPacket(9, 9, 1188));
            byte[] forged = ProtectRtp(sender, RtpPacket(9, 10, 1188));
            forged[^1] ^= 1;
            byte[] work = new byte[srtp.Length];
            srtp.CopyTo(work, 0);
            Assert.Equal(SrtpError.None, receiver.UnprotectRtp(work, out _));
            int failures = 0;
            void Refuse()
            {
                srtp.CopyTo(work, 0);
                failures += receiver.UnprotectRtp(work, out _) == SrtpError.Replayed ? 0 : 1;
                failures += receiver.UnprotectRtp(forged, out _) == SrtpError.AuthenticationFailed ? 0 : 1;
            }

            Assert.Equal(0, AllocatedBytes(Refuse));
            Assert.Equal(0, failures);
        }
    }

    private static long AllocatedBytes(Action operation)
    {
        for (int i = 0; i < 200; i++)
        {
            operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            operation();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
