using Relay.Protocols.Demux;

namespace Relay.Protocols.Tests.Demux;

public class PacketClassifierTests
{
    [Theory]
    [InlineData(0, PacketKind.Stun)]
    [InlineData(3, PacketKind.Stun)]
    [InlineData(4, PacketKind.Unknown)]
    [InlineData(16, PacketKind.Unknown)] // ZRTP
    [InlineData(19, PacketKind.Unknown)] // ZRTP
    [InlineData(20, PacketKind.Dtls)]
    [InlineData(63, PacketKind.Dtls)]
    [InlineData(64, PacketKind.Unknown)] // TURN channel
    [InlineData(79, PacketKind.Unknown)] // TURN channel
    [InlineData(127, PacketKind.Unknown)]
    [InlineData(128, PacketKind.Rtp)]
    [InlineData(191, PacketKind.Rtp)]
    [InlineData(192, PacketKind.Unknown)]
    [InlineData(255, PacketKind.Unknown)]
    public void Classify_SortsEveryRangeBoundaryByTheFirstByte(int first, PacketKind expected)
    {
        byte[] datagram = [(byte)first, 0x60, 0x00, 0x01];

        Assert.Equal(expected, PacketClassifier.Classify(datagram));
    }

    [Fact]
    public void Classify_AgreesWithTheRfc7983TableForEveryFirstByte()
    {
        for (int first = 0; first <= 255; first++)
        {
            PacketKind expected = first switch
            {
                <= 3 => PacketKind.Stun,
                >= 20 and <= 63 => PacketKind.Dtls,
                >= 128 and <= 191 => PacketKind.Rtp,
                _ => PacketKind.Unknown,
            };

            Assert.Equal(expected, PacketClassifier.Classify([(byte)first, 0x00]));
        }
    }

    [Theory]
    [InlineData(0x00, PacketKind.Rtp)]   // M=0 PT=0
    [InlineData(0x40, PacketKind.Rtp)]   // M=0 PT=64: only the marker bit set would collide
    [InlineData(0x5F, PacketKind.Rtp)]   // M=0 PT=95
    [InlineData(0x7F, PacketKind.Rtp)]   // M=0 PT=127
    [InlineData(0x80, PacketKind.Rtp)]   // M=1 PT=0
    [InlineData(191, PacketKind.Rtp)]    // M=1 PT=63
    [InlineData(192, PacketKind.Rtcp)]   // M=1 PT=64, RTCP FIR (RFC 2032)
    [InlineData(200, PacketKind.Rtcp)]   // SR
    [InlineData(201, PacketKind.Rtcp)]   // RR
    [InlineData(205, PacketKind.Rtcp)]   // RTPFB
    [InlineData(206, PacketKind.Rtcp)]   // PSFB
    [InlineData(223, PacketKind.Rtcp)]   // M=1 PT=95
    [InlineData(224, PacketKind.Rtp)]    // M=1 PT=96, the usual first dynamic type with the marker
    [InlineData(255, PacketKind.Rtp)]    // M=1 PT=127
    public void Classify_SplitsRtpFromRtcpBySecondByte(int second, PacketKind expected)
    {
        Assert.Equal(expected, PacketClassifier.Classify([0x80, (byte)second, 0x00, 0x01]));
        Assert.Equal(expected, PacketClassifier.Classify([0xBF, (byte)second]));
    }

    [Fact]
    public void Classify_ReturnsUnknownForAnEmptyDatagram()
    {
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
    }

    [Theory]
    [InlineData(0x00, PacketKind.Stun)]
    [InlineData(0x16, PacketKind.Dtls)]
    [InlineData(0x80, PacketKind.Unknown)]
    [InlineData(0xBF, PacketKind.Unknown)]
    public void Classify_HandlesASingleByte(int first, PacketKind expected)
    {
        // RTP and RTCP need the second byte to be told apart, and neither fits in one byte.
        Assert.Equal(expected, PacketClassifier.Classify([(byte)first]));
    }

    [Fact]
    public void Classify_RecognisesRealPacketsOfEachKind()
    {
        // RFC 5769 section 2.1 sample request: Binding request, magic cookie.
        byte[] stun = Convert.FromHexString("000100582112a442b7e7a701bc34d686fa87dfae");
        // DTLS 1.2 ClientHello record header: handshake (22), version DTLS 1.2 (fefd).
        byte[] dtls = Convert.FromHexString("16fefd0000000000000000");
        // RTCP receiver report with no report blocks.
        byte[] rtcp = Convert.FromHexString("80c9000100000001");
        // RTCP generic NACK (RTPFB 205, FMT 1).
        byte[] nack = Convert.FromHexString("81cd0003000000010000000200010000");

        Assert.Equal(PacketKind.Stun, PacketClassifier.Classify(stun));
        Assert.Equal(PacketKind.Dtls, PacketClassifier.Classify(dtls));
        Assert.Equal(PacketKind.Rtcp, PacketClassifier.Classify(rtcp));
        Assert.Equal(PacketKind.Rtcp, PacketClassifier.Classify(nack));
        Assert.Equal(PacketKind.Rtp, PacketClassifier.Classify(Rtp.RtpTestPackets.Rfc9335OneByte));
        Assert.Equal(PacketKind.Rtp, PacketClassifier.Classify(Rtp.RtpTestPackets.ChromeVideo));
    }
}
