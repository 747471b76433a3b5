using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class SenderReportTests
{
    [Fact]
    public void TryRead_DecodesCapturedSenderReport()
    {
        Assert.True(SenderReport.TryRead(RtcpSamples.Single(RtcpSamples.SenderReportNoBlocks), out SenderReport sr));

        Assert.Equal(0x5d931534u, sr.Ssrc);
        Assert.Equal(new SenderInfo(0xdd3ac1b4_76547171, 577280, 3608, 577280), sr.SenderInfo);
        Assert.Equal(0xc1b47654u, sr.SenderInfo.CompactNtpTimestamp);
        Assert.Equal(0, sr.ReportCount);
        Assert.False(sr.ReportBlocks.MoveNext());
    }

    [Fact]
    public void Writer_ReproducesCapturedSenderReport()
    {
        var writer = new SenderReportWriter(0x5d931534, new SenderInfo(0xdd3ac1b4_76547171, 577280, 3608, 577280));

        Assert.Equal(RtcpSamples.SenderReportNoBlocks, RtcpSamples.Serialize(writer));
    }

    [Fact]
    public void Writer_LaysOutReportBlocksAsRfc3550Diagram()
    {
        ReportBlock[] blocks =
        [
            new ReportBlock(0x01020304, 0x40, -2, 0x0001FFFF, 0x11, 0xAABBCCDD, 0x00010000),
        ];
        byte[] expected = RtcpSamples.Hex(
            "81 c8 000c", "cafebabe",
            "00000001 00000002", "00000003", "00000004", "00000005",
            "01020304", "40 fffffe", "0001ffff", "00000011", "aabbccdd", "00010000");

        byte[] written = RtcpSamples.Serialize(new SenderReportWriter(0xcafebabe, new SenderInfo(0x00000001_00000002, 3, 4, 5), blocks));

        Assert.Equal(expected, written);
    }

    [Fact]
    public void RoundTrip_KeepsEveryField()
    {
        ReportBlock[] blocks =
        [
            new ReportBlock(1, 255, ReportBlock.MaxCumulativeLost, uint.MaxValue, 12345, 0x12345678, 65536),
            new ReportBlock(2, 0, ReportBlock.MinCumulativeLost, 0x00020010, 0, 0, 0),
            new ReportBlock(3, 7, -1, 70000, 3, 4, 5),
        ];
        var info = new SenderInfo(0xE8A1B2C3_D4E5F607, 0xDEADBEEF, 1_000_000, 987_654_321);

        byte[] bytes = RtcpSamples.Serialize(new SenderReportWriter(0x9abcdef0, info, blocks));

        Assert.True(SenderReport.TryRead(RtcpSamples.Single(bytes), out SenderReport sr));
        Assert.Equal(0x9abcdef0u, sr.Ssrc);
        Assert.Equal(info, sr.SenderInfo);
        Assert.Equal(3, sr.ReportCount);
        var read = new List<ReportBlock>();
        foreach (ReportBlock block in sr.ReportBlocks)
        {
            read.Add(block);
        }

        Assert.Equal(blocks, read);
        Assert.Equal(blocks[2], sr.GetReportBlock(2));
        Assert.True(sr.ProfileExtensions.IsEmpty);
    }

    [Fact]
    public void TryRead_ExposesProfileExtensionsAfterTheBlocks()
    {
        byte[] bytes = RtcpSamples.Concat(RtcpSamples.SenderReportNoBlocks, RtcpSamples.Hex("01020304"));
        bytes[3] = 7;

        Assert.True(SenderReport.TryRead(RtcpSamples.Single(bytes), out SenderReport sr));
        Assert.Equal(RtcpSamples.Hex("01020304"), sr.ProfileExtensions.ToArray());
    }

    [Fact]
    public void TryRead_RejectsOtherTypes()
    {
        Assert.False(SenderReport.TryRead(RtcpSamples.Single(RtcpSamples.Pli), out _));
    }

    [Fact]
    public void GetReportBlock_ThrowsOutsideTheCount()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            Assert.True(SenderReport.TryRead(RtcpSamples.Single(RtcpSamples.SenderReportNoBlocks), out SenderReport sr));
            sr.GetReportBlock(0);
        });
    }

    [Fact]
    public void Writer_RejectsMoreThan31Blocks()
    {
        var blocks = new ReportBlock[32];

        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderReportWriter(1, default, blocks));
    }
}
