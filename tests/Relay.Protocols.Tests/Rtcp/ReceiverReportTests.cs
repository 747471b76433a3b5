using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class ReceiverReportTests
{
    [Fact]
    public void Writer_ReproducesFirefoxReceiverReport()
    {
        ReportBlock[] blocks = [new ReportBlock(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x09f36432, 150137)];

        byte[] written = RtcpSamples.Serialize(new ReceiverReportWriter(0x902f9e2e, blocks));

        Assert.Equal(RtcpSamples.FirefoxReceiverReportAndCname.AsSpan(0, 32).ToArray(), written);
    }

    [Fact]
    public void EmptyReceiverReport_IsEightBytes()
    {
        byte[] written = RtcpSamples.Serialize(new ReceiverReportWriter(0x01020304));

        Assert.Equal(RtcpSamples.Hex("80 c9 0001", "01020304"), written);
        Assert.True(ReceiverReport.TryRead(RtcpSamples.Single(written), out ReceiverReport rr));
        Assert.Equal(0, rr.ReportCount);
    }

    [Theory]
    [InlineData(-1, "ffffff")]
    [InlineData(-8388608, "800000")]
    [InlineData(8388607, "7fffff")]
    [InlineData(1, "000001")]
    public void CumulativeLost_IsSigned24Bit(int lost, string hex)
    {
        byte[] written = RtcpSamples.Serialize(new ReceiverReportWriter(9, [new ReportBlock(1, 0, lost, 0, 0, 0, 0)]));

        Assert.Equal(RtcpSamples.Hex(hex), written.AsSpan(13, 3).ToArray());
        Assert.True(ReceiverReport.TryRead(RtcpSamples.Single(written), out ReceiverReport rr));
        Assert.Equal(lost, rr.GetReportBlock(0).CumulativeLost);
    }

    [Theory]
    [InlineData(10_000_000, ReportBlock.MaxCumulativeLost)]
    [InlineData(-10_000_000, ReportBlock.MinCumulativeLost)]
    public void CumulativeLost_ClampsOnOverflow(int lost, int expected)
    {
        Assert.Equal(expected, new ReportBlock(1, 0, lost, 0, 0, 0, 0).CumulativeLost);
    }

    [Fact]
    public void RoundTrip_Keeps31Blocks()
    {
        ReportBlock[] blocks = Enumerable.Range(1, 31)
            .Select(i => new ReportBlock((uint)i, (byte)i, -i, (uint)(i << 16), (uint)i * 3, (uint)i * 5, (uint)i * 7))
            .ToArray();

        byte[] written = RtcpSamples.Serialize(new ReceiverReportWriter(77, blocks));

        Assert.Equal(0x9f, written[0]);
        Assert.True(ReceiverReport.TryRead(RtcpSamples.Single(written), out ReceiverReport rr));
        Assert.Equal(77u, rr.Ssrc);
        var read = new List<ReportBlock>();
        foreach (ReportBlock block in rr.ReportBlocks)
        {
            read.Add(block);
        }

        Assert.Equal(blocks, read);
    }

    [Fact]
    public void TryRead_RejectsOtherTypes()
    {
        Assert.False(ReceiverReport.TryRead(RtcpSamples.Single(RtcpSamples.SenderReportNoBlocks), out _));
    }
}
