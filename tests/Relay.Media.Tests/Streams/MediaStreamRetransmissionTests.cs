using System.Buffers.Binary;
using Relay.Media.Streams;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Rtp;
using Relay.Protocols.Srtp;
using Relay.Transport.Peers;

namespace Relay.Media.Tests.Streams;

/// <summary>
/// Viewers' NACKs answered from the stream's cache, plain (the SRTP index repeated) or as RTX, once per
/// request window; and the relay's own NACKs to the publisher for losses on its path.
/// </summary>
public class MediaStreamRetransmissionTests
{
    private const uint ViewerSsrc = 0xAAAA0001;
    private const uint ViewerRtxSsrc = 0xAAAA0009;
    private const byte ViewerRtxPt = 101;
    private const int Packets = 120;

    /// <remarks>
    /// Fewer packets than the SRTP replay window (128): a plain retransmission reuses its index, which
    /// the sender's window can vouch for only inside the window, so older ones are refused (as libsrtp's
    /// allow_repeat_tx does); RTX has no such limit.
    /// </remarks>
    [Fact]
    public async Task AViewerNack_GetsExactlyOneRetransmissionPerWindow_UnderTheOriginalSequenceNumber()
    {
        await using var harness = new StreamHarness(new MediaStreamOptions { ViewerPacketLossForTesting = 0.05, ViewerPacketLossSeed = 7 });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        ushort first = await SendAsync(harness, publisher, viewer);
        ushort[] missing = Missing(viewer, first);
        Assert.NotEmpty(missing);
        Assert.Equal(missing.Length, harness.Stream.Counters.GetDrops(MediaDropReason.InjectedLoss));

        // Two NACKs for every gap within the window: one retransmission each.
        var buffer = new byte[1500];
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(SrtpError.None, viewer.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, missing)));
        }

        await StreamHarness.Eventually(
            () => viewer.Handler.RtpCount == Packets,
            () => $"{Packets} packets with the retransmissions, got {viewer.Handler.RtpCount}");
        await StreamHarness.Eventually(() => harness.Stream.Counters.NacksReceived == 2, () => "both NACKs handled");
        Assert.Equal(missing.Length, harness.Stream.Counters.RetransmissionsSent);
        Assert.Equal(missing.Length, harness.Stream.Counters.GetDrops(MediaDropReason.RetransmissionSuppressed));
        AssertComplete(viewer, first);

        // After the window the same request is answered again (the viewer's SRTP then drops it as a replay).
        harness.Time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(SrtpError.None, viewer.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, missing[0])));
        await StreamHarness.Eventually(
            () => viewer.Transport.Counters.GetRtpDrops(SrtpError.Replayed) == 1,
            () => "the second retransmission, refused by the viewer as a replay");
        Assert.Equal(missing.Length + 1, harness.Stream.Counters.RetransmissionsSent);
    }

    [Fact]
    public async Task AViewerWithRtx_GetsRetransmissionsAsRtx_WithTheOriginalSequenceNumberFirst()
    {
        await using var harness = new StreamHarness(new MediaStreamOptions { ViewerPacketLossForTesting = 0.05, ViewerPacketLossSeed = 3 });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc, rtxSsrc: ViewerRtxSsrc, rtxPayloadType: ViewerRtxPt));
        ushort first = await SendAsync(harness, publisher, viewer);
        byte[][] media = viewer.Handler.Rtp.ToArray();
        ushort[] missing = Missing(viewer, first);
        Assert.True(missing.Length >= 2);

        var buffer = new byte[1500];
        Assert.Equal(SrtpError.None, viewer.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, missing)));
        await StreamHarness.Eventually(
            () => viewer.Handler.RtpCount == Packets,
            () => $"{Packets} packets with the retransmissions, got {viewer.Handler.RtpCount}");

        byte[][] rtx = viewer.Handler.Rtp.Skip(media.Length).ToArray();
        Assert.Equal(missing.Length, rtx.Length);
        RtpHeader rtxFirst = StreamMedia.Header(rtx[0]);
        for (int i = 0; i < rtx.Length; i++)
        {
            RtpHeader header = StreamMedia.Header(rtx[i]);
            Assert.Equal(ViewerRtxSsrc, header.Ssrc);
            Assert.Equal(ViewerRtxPt, header.PayloadType);
            Assert.Equal((ushort)(rtxFirst.SequenceNumber + i), header.SequenceNumber);
            byte[] payload = StreamMedia.PayloadOf(rtx[i]);
            ushort original = BinaryPrimitives.ReadUInt16BigEndian(payload);
            Assert.Equal(missing[i], original);

            // The rest is the publisher's packet for that number, byte for byte.
            int publisherIndex = (ushort)(original - first);
            byte[] sent = new byte[1500];
            int length = StreamMedia.WriteVp8(sent, (ushort)(40000 + publisherIndex), (uint)(publisherIndex / 5 * 3000), keyframe: publisherIndex == 0);
            Assert.Equal(StreamMedia.PayloadOf(sent[..length]), payload[2..]);
        }
    }

    [Fact]
    public async Task NacksForPacketsNeverSentToTheViewer_AreNotAnswered()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        ushort first = await SendAsync(harness, publisher, viewer);

        var buffer = new byte[1500];
        Assert.Equal(SrtpError.None, viewer.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, (ushort)(first - 1), (ushort)(first + Packets))));
        await StreamHarness.Eventually(() => harness.Stream.Counters.NacksReceived == 1, () => "the NACK handled");
        Assert.Equal(0, harness.Stream.Counters.RetransmissionsSent);
        Assert.Equal(2, harness.Stream.Counters.GetDrops(MediaDropReason.RetransmissionUnavailable));
    }

    [Fact]
    public async Task LossesOnThePublishersPath_AreNackedToThePublisher()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video(nack: true));
        var buffer = new byte[1500];
        foreach (ushort sequence in new ushort[] { 100, 101, 102, 105, 106 })
        {
            StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, sequence, 0, keyframe: sequence == 100));
        }

        await StreamHarness.Eventually(() => harness.Stream.Counters.RtpPacketsIn == 5, () => "5 packets in");
        harness.Stream.Tick(harness.Time.Now);
        await StreamHarness.Eventually(
            () => StreamMedia.PacketsOfType(publisher.Handler.Rtcp, RtcpPacketType.TransportLayerFeedback).Count == 1,
            () => "a NACK at the publisher");
        byte[] nack = StreamMedia.PacketsOfType(publisher.Handler.Rtcp, RtcpPacketType.TransportLayerFeedback)[0];
        Assert.True(RtcpPacket.TryRead(nack, out RtcpPacket packet));
        Assert.True(GenericNack.TryRead(packet, out GenericNack read));
        Assert.Equal(StreamMedia.PublisherVideoSsrc, read.MediaSsrc);
        Assert.Equal(harness.Stream.RelaySsrc, read.SenderSsrc);
        var lost = new List<ushort>();
        foreach (ushort sequence in read.LostSequenceNumbers)
        {
            lost.Add(sequence);
        }

        Assert.Equal([103, 104], lost);
        Assert.Equal(1, harness.Stream.Counters.NacksSent);

        // The publisher answers with RTX; the gap closes and the packets reach the cache.
        int length = StreamMedia.WriteVp8(buffer, 7, 0, keyframe: false, ssrc: StreamMedia.PublisherRtxSsrc, payloadType: StreamMedia.PublisherRtxPt);
        byte[] original = new byte[1500];
        int originalLength = StreamMedia.WriteVp8(original, 103, 0, keyframe: false);
        buffer.AsSpan(12, length - 12).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(12), 103);
        original.AsSpan(12, originalLength - 12).CopyTo(buffer.AsSpan(14));
        StreamMedia.Send(publisher.Transport, buffer, originalLength + 2);
        await StreamHarness.Eventually(() => harness.Stream.Counters.PublisherRetransmissionsReceived == 1, () => "the RTX unwrapped");
    }

    [Fact]
    public async Task AViewerNackingBeyondItsBudget_GetsOnlyWhatTheBudgetAllows_AndTheRestIsCountedAsRateLimited()
    {
        // Room for one retransmission of these 212-byte packets (with the SRTP trailer) and a half: one now, one more after a second.
        const int OneResend = 212 + PeerTransport.MaxTrailerLength;
        await using var harness = new StreamHarness(new MediaStreamOptions
        {
            ViewerPacketLossForTesting = 0.05,
            ViewerPacketLossSeed = 7,
            MaxRetransmissionBytesPerSecond = OneResend * 3 / 2,
        });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        ushort first = await SendAsync(harness, publisher, viewer);
        ushort[] missing = Missing(viewer, first);
        Assert.True(missing.Length >= 3, $"the seed loses {missing.Length} packets; the test needs 3");
        long received = viewer.Handler.RtpCount;

        var buffer = new byte[1500];
        Assert.Equal(SrtpError.None, viewer.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, missing)));
        await StreamHarness.Eventually(() => harness.Stream.Counters.NacksReceived == 1, () => "the NACK handled");
        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == received + 1, () => $"one retransmission, got {viewer.Handler.RtpCount - received}");
        Assert.Equal(1, harness.Stream.Counters.RetransmissionsSent);
        Assert.Equal(missing.Length - 1, harness.Stream.Counters.GetDrops(MediaDropReason.RetransmissionRateLimited));

        // A second later the budget has refilled (to at most a second's worth): one more.
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SrtpError.None, viewer.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, missing.AsSpan(1))));
        await StreamHarness.Eventually(() => harness.Stream.Counters.NacksReceived == 2, () => "the second NACK handled");
        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == received + 2, () => $"two retransmissions, got {viewer.Handler.RtpCount - received}");
        Assert.Equal(2, harness.Stream.Counters.RetransmissionsSent);
        Assert.Equal((missing.Length - 1) + (missing.Length - 2), harness.Stream.Counters.GetDrops(MediaDropReason.RetransmissionRateLimited));
    }

    [Fact]
    public async Task TheBudgetIsPerViewer_OneViewersNacksDoNotSpendAnothers()
    {
        const int OneResend = 212 + PeerTransport.MaxTrailerLength;
        await using var harness = new StreamHarness(new MediaStreamOptions { MaxRetransmissionBytesPerSecond = OneResend * 3 / 2 });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer greedy) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        (_, TestPeer other) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc + 1));
        var buffer = new byte[1500];
        for (int i = 0; i < Packets; i++)
        {
            StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)(40000 + i), (uint)(i / 5 * 3000), keyframe: i == 0));
        }

        await StreamHarness.Eventually(() => harness.Stream.Counters.RtpPacketsIn == Packets, () => "every packet in");
        await StreamHarness.Eventually(() => greedy.Handler.RtpCount + other.Handler.RtpCount == 2 * Packets, () => "both viewers' shares");
        ushort greedyFirst = StreamMedia.Header(greedy.Handler.Rtp.First()).SequenceNumber;
        ushort otherFirst = StreamMedia.Header(other.Handler.Rtp.First()).SequenceNumber;

        // The greedy viewer asks for every packet of the run: one fits its budget, the rest are refused.
        ushort[] everything = Enumerable.Range(0, Packets).Select(i => (ushort)(greedyFirst + i)).ToArray();
        Assert.Equal(SrtpError.None, greedy.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc, everything)));
        await StreamHarness.Eventually(() => harness.Stream.Counters.NacksReceived == 1, () => "the greedy NACK handled");
        Assert.Equal(1, harness.Stream.Counters.RetransmissionsSent);
        Assert.Equal(Packets - 1, harness.Stream.Counters.GetDrops(MediaDropReason.RetransmissionRateLimited));

        // The other viewer's request is still answered from its own budget.
        Assert.Equal(SrtpError.None, other.Transport.SendRtcp(buffer, StreamMedia.WriteNack(buffer, 1, ViewerSsrc + 1, otherFirst)));
        await StreamHarness.Eventually(() => harness.Stream.Counters.NacksReceived == 2, () => "the other NACK handled");
        Assert.Equal(2, harness.Stream.Counters.RetransmissionsSent);
        Assert.Equal(Packets - 1, harness.Stream.Counters.GetDrops(MediaDropReason.RetransmissionRateLimited));
    }

    /// <summary>Sends a keyframe and inter frames; returns the viewer's first sequence number once its last packet arrived.</summary>
    private static async Task<ushort> SendAsync(StreamHarness harness, TestPeer publisher, TestPeer viewer)
    {
        var buffer = new byte[1500];
        for (int i = 0; i < Packets; i++)
        {
            int length = StreamMedia.WriteVp8(buffer, (ushort)(40000 + i), (uint)(i / 5 * 3000), keyframe: i == 0);
            StreamMedia.Send(publisher.Transport, buffer, length);
        }

        await StreamHarness.Eventually(
            () => harness.Stream.Counters.RtpPacketsIn == Packets && viewer.Handler.RtpCount == Packets - harness.Stream.Counters.GetDrops(MediaDropReason.InjectedLoss),
            () => $"the viewer's share of {Packets} packets, got {viewer.Handler.RtpCount}");
        byte[] firstPacket = viewer.Handler.Rtp.First();
        Assert.True(StreamMedia.IsVp8Keyframe(firstPacket), "the loss seed must spare the keyframe");
        return StreamMedia.Header(firstPacket).SequenceNumber;
    }

    private static ushort[] Missing(TestPeer viewer, ushort first)
    {
        var seen = new HashSet<ushort>(viewer.Handler.Rtp.Select(p => StreamMedia.Header(p).SequenceNumber));
        return Enumerable.Range(0, Packets).Select(i => (ushort)(first + i)).Where(s => !seen.Contains(s)).ToArray();
    }

    private static void AssertComplete(TestPeer viewer, ushort first)
    {
        var seen = viewer.Handler.Rtp.Select(p => StreamMedia.Header(p)).Where(h => h.Ssrc == ViewerSsrc).Select(h => h.SequenceNumber).ToHashSet();
        Assert.All(Enumerable.Range(0, Packets), i => Assert.Contains((ushort)(first + i), seen));
    }
}
