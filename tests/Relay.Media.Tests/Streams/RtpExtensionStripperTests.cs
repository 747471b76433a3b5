using Relay.Media.Streams;
using Relay.Protocols.Rtp;

namespace Relay.Media.Tests.Streams;

/// <summary>The publisher's header extensions are not passed to viewers, whose ids differ.</summary>
public class RtpExtensionStripperTests
{
    [Fact]
    public void Strip_RemovesTheExtensionBlock_KeepingHeaderAndPayload()
    {
        byte[] packet = TestRtp.Packet(77, timestamp: 1234, ssrc: 0xABCD, payloadType: 96, marker: true, payload: [5, 6, 7, 8, 9]);
        var buffer = new byte[packet.Length];
        packet.CopyTo(buffer, 0);

        int length = RtpExtensionStripper.Strip(buffer, packet.Length);

        Assert.True(RtpPacketReader.TryRead(buffer.AsSpan(0, length), out RtpPacketReader stripped));
        Assert.False(stripped.HasExtension);
        Assert.Equal(77, stripped.Header.SequenceNumber);
        Assert.Equal(1234u, stripped.Header.Timestamp);
        Assert.Equal(0xABCDu, stripped.Header.Ssrc);
        Assert.True(stripped.Header.Marker);
        Assert.Equal([5, 6, 7, 8, 9], stripped.Payload.ToArray());
        Assert.Equal(RtpHeader.FixedLength + 5, length);
    }

    [Fact]
    public void Strip_LeavesAPacketWithoutExtensionsAlone()
    {
        byte[] packet = new byte[20];
        packet[0] = 0x80;
        packet[1] = 96;
        Assert.Equal(20, RtpExtensionStripper.Strip(packet, 20));
        Assert.Equal(3, RtpExtensionStripper.Strip([0x90, 0, 0], 3));
    }
}
