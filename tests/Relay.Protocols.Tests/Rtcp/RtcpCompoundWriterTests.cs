using System.Text;
using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class RtcpCompoundWriterTests
{
    [Fact]
    public void SenderReportAndCname_MakeOneCompoundThatReadsBack()
    {
        byte[] buffer = new byte[1200];
        byte[] cname = Encoding.ASCII.GetBytes("relay-node-1");
        var info = new SenderInfo(0xE9C0FFEE_80000000, 90000, 10, 12000);

        var compound = new RtcpCompoundWriter(buffer);
        Assert.True(compound.TryAdd(new SenderReportWriter(0x1234, info)));
        Assert.True(compound.TryAdd(new SourceDescriptionWriter(0x1234, cname)));

        Assert.Equal(28 + 24, compound.Written);
        Assert.Equal(buffer.Length - compound.Written, compound.Remaining);
        var packets = new RtcpCompoundEnumerator(compound.WrittenSpan, requireReport: true);
        Assert.True(packets.MoveNext());
        Assert.True(SenderReport.TryRead(packets.Current, out SenderReport sr));
        Assert.Equal(info, sr.SenderInfo);
        Assert.True(packets.MoveNext());
        Assert.True(SourceDescription.TryRead(packets.Current, out SourceDescription sdes));
        SourceDescriptionChunkEnumerator chunks = sdes.Chunks;
        Assert.True(chunks.MoveNext());
        Assert.True(chunks.Current.TryGetItem(SdesItemType.Cname, out ReadOnlySpan<byte> value));
        Assert.Equal("relay-node-1", Encoding.ASCII.GetString(value));
        Assert.False(packets.MoveNext());
        Assert.False(packets.IsMalformed);
    }

    [Fact]
    public void ReceiverReportCnameAndRemb_ReproduceTheChromeStyleCompound()
    {
        byte[] buffer = new byte[1200];
        ReportBlock[] blocks = [new ReportBlock(0x02d03702, 5, 3, 0x00012345, 0x10, 0xa1b2c3d4, 0x00010000)];

        var compound = new RtcpCompoundWriter(buffer);
        Assert.True(compound.TryAdd(new ReceiverReportWriter(0xfa17fa17, blocks)));
        Assert.True(compound.TryAdd(new SourceDescriptionWriter(0x9f65e742, RtcpSamples.Ascii(RtcpSamples.ChromeCnameText))));
        Assert.True(compound.TryAdd(new RembWriter(0xfa17fa17, 122754, [0x02d03702, 0x04a76747])));

        Assert.Equal(RtcpSamples.ChromeStyleReceiverReportCnameRemb, compound.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryAdd_ThatDoesNotFit_LeavesTheCompoundAsItWas()
    {
        byte[] buffer = new byte[40];
        var compound = new RtcpCompoundWriter(buffer);
        Assert.True(compound.TryAdd(new ReceiverReportWriter(1, [new ReportBlock(2, 0, 0, 0, 0, 0, 0)])));
        byte[] before = buffer.ToArray();

        Assert.False(compound.TryAdd(new PictureLossIndication(1, 2)));

        Assert.Equal(32, compound.Written);
        Assert.Equal(before, buffer);
        Assert.True(compound.TryAdd(new GoodbyeWriter([1])));
        Assert.Equal(40, compound.Written);
    }

    [Fact]
    public void EveryWriter_CanBeAppended()
    {
        byte[] buffer = new byte[2048];
        var compound = new RtcpCompoundWriter(buffer);

        Assert.True(compound.TryAdd(new ReceiverReportWriter(1)));
        Assert.True(compound.TryAdd(new SenderReportWriter(1, default)));
        Assert.True(compound.TryAdd(new SourceDescriptionWriter(1, RtcpSamples.Ascii("x"))));
        Assert.True(compound.TryAdd(new GoodbyeWriter([1], RtcpSamples.Ascii("bye"))));
        Assert.True(compound.TryAdd(new ApplicationDefinedWriter(1, 1, RtcpSamples.Ascii("ABCD"))));
        Assert.True(compound.TryAdd(new GenericNackWriter(1, 2, [5, 6])));
        Assert.True(compound.TryAdd(new TransportCcFeedbackWriter(1, 2, 0, [new(1, true, 0)])));
        Assert.True(compound.TryAdd(new PictureLossIndication(1, 2)));
        Assert.True(compound.TryAdd(new FullIntraRequestWriter(1, [new FirEntry(2, 1)])));
        Assert.True(compound.TryAdd(new RembWriter(1, 1_000_000, [2])));

        var types = new List<(RtcpPacketType, int)>();
        var packets = new RtcpCompoundEnumerator(compound.WrittenSpan, requireReport: true);
        while (packets.MoveNext())
        {
            types.Add((packets.Current.Type, packets.Current.Count));
        }

        Assert.False(packets.IsMalformed);
        Assert.Equal(
            [
                (RtcpPacketType.ReceiverReport, 0), (RtcpPacketType.SenderReport, 0), (RtcpPacketType.SourceDescription, 1),
                (RtcpPacketType.Goodbye, 1), (RtcpPacketType.ApplicationDefined, 1), (RtcpPacketType.TransportLayerFeedback, 1),
                (RtcpPacketType.TransportLayerFeedback, 15), (RtcpPacketType.PayloadSpecificFeedback, 1),
                (RtcpPacketType.PayloadSpecificFeedback, 4), (RtcpPacketType.PayloadSpecificFeedback, 15),
            ],
            types);
    }
}
