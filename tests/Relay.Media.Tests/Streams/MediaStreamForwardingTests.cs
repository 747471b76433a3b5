using Relay.Media.Streams;
using Relay.Protocols.Rtp;
using Relay.Transport.Peers;

namespace Relay.Media.Tests.Streams;

/// <summary>
/// The fan-out over real peer transports on 127.0.0.1: a publisher and viewers connected with ICE,
/// DTLS and SRTP to a relay socket, media decrypted once and re-encrypted for each viewer.
/// </summary>
public class MediaStreamForwardingTests
{
    private const uint ViewerOneSsrc = 0xAAAA0001;
    private const uint ViewerTwoSsrc = 0xBBBB0002;

    [Fact]
    public async Task ViewersReceiveThePublishersPackets_RewrittenToTheirSsrcAndPayloadType_WithContinuousSequenceNumbers()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer one) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerOneSsrc, payloadType: 100));
        (_, TestPeer two) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerTwoSsrc, payloadType: 102));

        var buffer = new byte[1500];
        for (int i = 0; i < 100; i++)
        {
            int length = StreamMedia.WriteVp8(buffer, (ushort)(65500 + i), (uint)(1000 + (i / 10 * 3000)), keyframe: i == 0);
            StreamMedia.Send(publisher.Transport, buffer, length);
        }

        await StreamHarness.Eventually(
            () => one.Handler.RtpCount == 100 && two.Handler.RtpCount == 100,
            () => $"100 packets each (viewer one {one.Handler.RtpCount}, two {two.Handler.RtpCount})");
        AssertRewritten(one.Handler.Rtp.ToArray(), ViewerOneSsrc, 100);
        AssertRewritten(two.Handler.Rtp.ToArray(), ViewerTwoSsrc, 102);
        Assert.Equal(100, harness.Stream.Counters.RtpPacketsIn);
        Assert.Equal(200, harness.Stream.Counters.RtpPacketsOut);
        Assert.Equal(MediaStreamState.Live, harness.Stream.State);
        Assert.Equal(2, harness.Stream.SubscriberCount);
    }

    [Fact]
    public async Task AJoiningViewersFirstVideoPacketIsAKeyframe_AndAPliReachedThePublisher()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        var buffer = new byte[1500];
        ushort sequence = 1000;
        int length = StreamMedia.WriteVp8(buffer, sequence++, 0, keyframe: true);
        StreamMedia.Send(publisher.Transport, buffer, length);

        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerOneSsrc));
        await StreamHarness.Eventually(
            () => StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc) >= 1,
            () => "a PLI at the publisher");

        // Inter frames first: held back. Then the keyframe the PLI asked for, then more inter frames.
        for (int i = 0; i < 10; i++)
        {
            length = StreamMedia.WriteVp8(buffer, sequence++, 3000, keyframe: false);
            StreamMedia.Send(publisher.Transport, buffer, length);
        }

        await StreamHarness.Eventually(
            () => harness.Stream.Counters.GetDrops(MediaDropReason.WaitingForKeyframe) == 10,
            () => $"10 packets held back, got {harness.Stream.Counters.GetDrops(MediaDropReason.WaitingForKeyframe)}");
        for (int i = 0; i < 5; i++)
        {
            length = StreamMedia.WriteVp8(buffer, sequence++, 6000, keyframe: i == 0);
            StreamMedia.Send(publisher.Transport, buffer, length);
        }

        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == 5, () => $"5 packets, got {viewer.Handler.RtpCount}");
        byte[][] received = viewer.Handler.Rtp.ToArray();
        Assert.True(StreamMedia.IsVp8Keyframe(received[0]));
        AssertRewritten(received, ViewerOneSsrc, 100);
        Assert.True(harness.Stream.Counters.KeyframeRequestsSent >= 1);
    }

    [Fact]
    public async Task ViewerPlis_AreForwardedToThePublisher_CoalescedPerInterval()
    {
        await using var harness = new StreamHarness(new MediaStreamOptions { KeyframeRequestInterval = TimeSpan.FromMilliseconds(500) });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer one) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerOneSsrc));
        (_, TestPeer two) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerTwoSsrc));
        await StreamHarness.Eventually(
            () => harness.Stream.Counters.KeyframeRequestsSent >= 1 && StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc) >= 1,
            () => "the join PLI");
        int before = StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc);

        // Past the interval, both viewers ask at once: the publisher hears one request.
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var buffer = new byte[1500];
        Assert.Equal(Relay.Protocols.Srtp.SrtpError.None, one.Transport.SendRtcp(buffer, StreamMedia.WritePli(buffer, 1, ViewerOneSsrc)));
        Assert.Equal(Relay.Protocols.Srtp.SrtpError.None, two.Transport.SendRtcp(buffer, StreamMedia.WritePli(buffer, 1, ViewerTwoSsrc)));
        await StreamHarness.Eventually(() => harness.Stream.Counters.PlisReceived == 2, () => $"2 PLIs received, got {harness.Stream.Counters.PlisReceived}");
        await StreamHarness.Eventually(
            () => StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc) == before + 1,
            () => "one more PLI at the publisher");

        // The held request goes out on the tick after the interval.
        harness.Time.Advance(TimeSpan.FromMilliseconds(600));
        harness.Stream.Tick(harness.Time.Now);
        await StreamHarness.Eventually(
            () => StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc) == before + 2,
            () => "the held PLI at the publisher");
    }

    [Fact]
    public async Task AudioIsForwardedWithoutWaitingForAKeyframe()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Audio(), StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerAudio(0xCCCC0001), StreamMedia.ViewerVideo(ViewerOneSsrc));
        var buffer = new byte[1500];
        for (int i = 0; i < 20; i++)
        {
            StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteOpus(buffer, (ushort)(10 + i), (uint)(i * 960)));
            StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)(500 + i), (uint)(i * 3000), keyframe: false));
        }

        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == 20, () => $"20 audio packets, got {viewer.Handler.RtpCount}");
        byte[][] received = viewer.Handler.Rtp.ToArray();
        Assert.All(received, p => Assert.Equal(0xCCCC0001u, StreamMedia.Header(p).Ssrc));
        Assert.All(received, p => Assert.Equal(109, StreamMedia.Header(p).PayloadType));
    }

    [Fact]
    public async Task AViewerDisposedMidStream_DoesNotDisturbTheOther()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (MediaSubscriber leaving, TestPeer one) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerOneSsrc));
        (_, TestPeer two) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerTwoSsrc));

        // The publisher sends on its own thread while the viewer is disposed from this one.
        using var started = new ManualResetEventSlim();
        Task sending = Task.Run(() =>
        {
            var buffer = new byte[1500];
            for (int i = 0; i < 400; i++)
            {
                StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)i, (uint)(i / 4 * 3000), keyframe: i == 0));
                if (i == 100)
                {
                    started.Set();
                }
            }
        });
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
        leaving.Dispose();
        await sending;

        await StreamHarness.Eventually(() => two.Handler.RtpCount == 400, () => $"400 packets at the remaining viewer, got {two.Handler.RtpCount}");
        AssertRewritten(two.Handler.Rtp.ToArray(), ViewerTwoSsrc, 100);
        Assert.Equal(1, harness.Stream.SubscriberCount);
        Assert.Equal(PeerTransportState.Closed, one.RelaySide.State);
        leaving.Dispose();
    }

    private static void AssertRewritten(byte[][] packets, uint ssrc, byte payloadType)
    {
        RtpHeader first = StreamMedia.Header(packets[0]);
        for (int i = 0; i < packets.Length; i++)
        {
            RtpHeader header = StreamMedia.Header(packets[i]);
            Assert.Equal(ssrc, header.Ssrc);
            Assert.Equal(payloadType, header.PayloadType);
            Assert.Equal((ushort)(first.SequenceNumber + i), header.SequenceNumber);
        }
    }
}
