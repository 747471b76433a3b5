using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class PayloadSpecificFeedbackTests
{
    [Fact]
    public void Pli_ReadsAndWritesTheRfcLayout()
    {
        Assert.True(PictureLossIndication.TryRead(RtcpSamples.Single(RtcpSamples.Pli), out PictureLossIndication pli));

        Assert.Equal(new PictureLossIndication(1, 0x12345678), pli);
        Assert.Equal(RtcpSamples.Pli, RtcpSamples.Serialize(pli));
    }

    [Fact]
    public void Pli_RejectsFciAndOtherFormats()
    {
        Assert.False(PictureLossIndication.TryRead(RtcpSamples.Single(RtcpSamples.Hex("81 ce 0003", "00000001", "00000002", "00000000")), out _));
        Assert.False(PictureLossIndication.TryRead(RtcpSamples.Single(RtcpSamples.Hex("82 ce 0002", "00000001", "00000002")), out _));
        Assert.False(PictureLossIndication.TryRead(RtcpSamples.Single(RtcpSamples.Hex("81 cd 0002", "00000001", "00000002")), out _));
    }

    [Fact]
    public void Fir_ReadsEntries()
    {
        Assert.True(FullIntraRequest.TryRead(RtcpSamples.Single(RtcpSamples.Fir), out FullIntraRequest fir));

        Assert.Equal(1u, fir.SenderSsrc);
        Assert.Equal(0u, fir.MediaSsrc);
        Assert.Equal(2, fir.EntryCount);
        Assert.Equal(new FirEntry(0x12345678, 7), fir.GetEntry(0));
        Assert.Equal(new FirEntry(0x9abcdef0, 255), fir.GetEntry(1));
    }

    [Fact]
    public void Fir_WriterReproducesTheRfcLayout()
    {
        FirEntry[] entries = [new(0x12345678, 7), new(0x9abcdef0, 255)];

        Assert.Equal(RtcpSamples.Fir, RtcpSamples.Serialize(new FullIntraRequestWriter(1, entries)));
    }

    [Theory]
    [InlineData("84 ce 0002", "00000001", "00000000")]
    [InlineData("84 ce 0003", "00000001", "00000000", "12345678")]
    public void Fir_RejectsMissingOrPartialEntries(params string[] hex)
    {
        Assert.False(FullIntraRequest.TryRead(RtcpSamples.Single(RtcpSamples.Hex(hex)), out _));
    }

    [Fact]
    public void Remb_ReadsChromeCapture()
    {
        Assert.True(Remb.TryRead(RtcpSamples.Single(RtcpSamples.ChromeRemb), out Remb remb));

        Assert.Equal(0xfa17fa17u, remb.SenderSsrc);
        Assert.Equal(0u, remb.MediaSsrc);
        Assert.Equal(122754ul, remb.Bitrate);
        Assert.Equal(2, remb.SsrcCount);
        Assert.Equal(0x02d03702u, remb.GetSsrc(0));
        Assert.Equal(0x04a76747u, remb.GetSsrc(1));
    }

    [Fact]
    public void Remb_WriterReproducesChromeCapture()
    {
        Assert.Equal(RtcpSamples.ChromeRemb, RtcpSamples.Serialize(new RembWriter(0xfa17fa17, 122754, [0x02d03702, 0x04a76747])));
    }

    [Theory]
    [InlineData(0ul, 0, 0u)]
    [InlineData(262143ul, 0, 262143u)]
    [InlineData(262144ul, 1, 131072u)]
    [InlineData(2_500_000ul, 4, 156250u)]
    [InlineData(1_000_001ul, 2, 250000u)]
    [InlineData(ulong.MaxValue, 46, 262143u)]
    public void Remb_WriterPicksSmallestExponentAndRoundsDown(ulong bitrate, int exponent, uint mantissa)
    {
        var writer = new RembWriter(1, bitrate, [2]);

        Assert.Equal(exponent, writer.Exponent);
        Assert.Equal(mantissa, writer.Mantissa);
        Assert.True(writer.EncodedBitrate <= bitrate);
        Assert.True(Remb.TryRead(RtcpSamples.Single(RtcpSamples.Serialize(writer)), out Remb remb));
        Assert.Equal(writer.EncodedBitrate, remb.Bitrate);
    }

    [Theory]
    [InlineData("8f ce 0004", "00000001", "00000000", "52454d43", "00 000001")]
    [InlineData("8f ce 0004", "00000001", "00000000", "52454d42", "01 000001")]
    [InlineData("8f ce 0005", "00000001", "00000000", "52454d42", "00 000001", "00000002")]
    [InlineData("8f ce 0003", "00000001", "00000000", "52454d42")]
    [InlineData("8f ce 0004", "00000001", "00000000", "52454d42", "00 fe0000")]
    public void Remb_RejectsWrongIdentifierCountOrOverflow(params string[] hex)
    {
        // Not "REMB"; one SSRC declared, none present; none declared, one present; no bitrate word;
        // exponent 63 with a mantissa of 2^17, past 64 bits.
        Assert.False(Remb.TryRead(RtcpSamples.Single(RtcpSamples.Hex(hex)), out _));
    }

    [Fact]
    public void Feedback_ExposesUnknownFormatsRaw()
    {
        byte[] packet = RtcpSamples.Hex("85 cd 0003", "00000001", "00000002", "01020304");

        Assert.True(FeedbackPacket.TryRead(RtcpSamples.Single(packet), out FeedbackPacket feedback));
        Assert.Equal(RtcpPacketType.TransportLayerFeedback, feedback.Type);
        Assert.Equal(5, feedback.Format);
        Assert.Equal(1u, feedback.SenderSsrc);
        Assert.Equal(2u, feedback.MediaSsrc);
        Assert.Equal(RtcpSamples.Hex("01020304"), feedback.Fci.ToArray());
    }
}
