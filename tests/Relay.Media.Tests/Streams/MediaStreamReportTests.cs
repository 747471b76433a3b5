using Relay.Media.Streams;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Srtp;

namespace Relay.Media.Tests.Streams;

/// <summary>Receiver reports to the publisher, and sender reports to viewers in their own SSRC and timestamps.</summary>
public class MediaStreamReportTests
{
    private const uint ViewerSsrc = 0xAAAA0001;
    private const ulong PublisherNtp = 0xE5F0_1234_8000_0000;
    private const uint PublisherSrTimestamp = 50_000;

    [Fact]
    public async Task Tick_SendsThePublisherAReceiverReport_AndTheViewerATranslatedSenderReport()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        var buffer = new byte[1500];
        for (int i = 0; i < 10; i++)
        {
            StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)(500 + i), (uint)(1000 + (i * 3000)), keyframe: i == 0));
        }

        Assert.True(new SenderReportWriter(StreamMedia.PublisherVideoSsrc, new SenderInfo(PublisherNtp, PublisherSrTimestamp, 10, 2000)).TryWrite(buffer, out int length));
        Assert.Equal(SrtpError.None, publisher.Transport.SendRtcp(buffer, length));
        await StreamHarness.Eventually(
            () => viewer.Handler.RtpCount == 10 && harness.Stream.Counters.RtcpPacketsIn == 1,
            () => "the packets and the sender report");

        harness.Stream.Tick(harness.Time.Now);
        await StreamHarness.Eventually(
            () => StreamMedia.PacketsOfType(publisher.Handler.Rtcp, RtcpPacketType.ReceiverReport).Any(r => r.Length > 8)
                && StreamMedia.PacketsOfType(viewer.Handler.Rtcp, RtcpPacketType.SenderReport).Count == 1,
            () => "a receiver report at the publisher and a sender report at the viewer");

        byte[] rr = StreamMedia.PacketsOfType(publisher.Handler.Rtcp, RtcpPacketType.ReceiverReport).First(r => r.Length > 8);
        Assert.True(RtcpPacket.TryRead(rr, out RtcpPacket rrPacket));
        Assert.True(ReceiverReport.TryRead(rrPacket, out ReceiverReport receiverReport));
        Assert.Equal(harness.Stream.RelaySsrc, receiverReport.Ssrc);
        ReportBlock block = Assert.Single(Blocks(receiverReport));
        Assert.Equal(StreamMedia.PublisherVideoSsrc, block.Ssrc);
        Assert.Equal(509u, block.ExtendedHighestSequenceNumber);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(unchecked((uint)(PublisherNtp >> 16)), block.LastSenderReport);

        byte[] sr = StreamMedia.PacketsOfType(viewer.Handler.Rtcp, RtcpPacketType.SenderReport)[0];
        Assert.True(RtcpPacket.TryRead(sr, out RtcpPacket srPacket));
        Assert.True(SenderReport.TryRead(srPacket, out SenderReport senderReport));
        uint viewerFirstTimestamp = StreamMedia.Header(viewer.Handler.Rtp.First()).Timestamp;
        Assert.Equal(ViewerSsrc, senderReport.Ssrc);
        Assert.Equal(PublisherNtp, senderReport.SenderInfo.NtpTimestamp);
        Assert.Equal(PublisherSrTimestamp - 1000 + viewerFirstTimestamp, senderReport.SenderInfo.RtpTimestamp);
        Assert.Equal(10u, senderReport.SenderInfo.PacketCount);
        Assert.Equal(1, harness.Stream.Counters.SenderReportsSent);
        Assert.Equal(1, harness.Stream.Counters.ReceiverReportsSent);

        // Half a second later both clocks of the sender report have moved on by half a second.
        harness.Time.Advance(TimeSpan.FromSeconds(1.5));
        harness.Stream.Tick(harness.Time.Now);
        await StreamHarness.Eventually(
            () => StreamMedia.PacketsOfType(viewer.Handler.Rtcp, RtcpPacketType.SenderReport).Count == 2,
            () => "a second sender report");
        sr = StreamMedia.PacketsOfType(viewer.Handler.Rtcp, RtcpPacketType.SenderReport)[1];
        Assert.True(RtcpPacket.TryRead(sr, out srPacket));
        Assert.True(SenderReport.TryRead(srPacket, out senderReport));
        Assert.Equal(PublisherNtp + (3UL << 31), senderReport.SenderInfo.NtpTimestamp);
        Assert.Equal(PublisherSrTimestamp - 1000 + viewerFirstTimestamp + 135_000, senderReport.SenderInfo.RtpTimestamp);
    }

    private static List<ReportBlock> Blocks(ReceiverReport report)
    {
        var blocks = new List<ReportBlock>();
        for (int i = 0; i < report.ReportCount; i++)
        {
            blocks.Add(report.GetReportBlock(i));
        }

        return blocks;
    }
}
