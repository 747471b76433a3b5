using Relay.Media.Streams;
using Relay.Protocols.Rtp;
using Relay.Transport.Peers;

namespace Relay.Media.Tests.Streams;

/// <summary>
/// A publisher that vanishes and comes back within the grace period resumes the same stream for its
/// viewers, with sequence numbers and timestamps continuous; past the grace period the stream ends.
/// </summary>
public class MediaStreamReconnectTests
{
    private const uint ViewerSsrc = 0xAAAA0001;

    [Theory]
    [InlineData(StreamMedia.PublisherVideoSsrc)]
    [InlineData(0x22220001u)]
    public async Task AReconnectingPublisher_ContinuesTheViewersSequenceAndTimestamps(uint secondSsrc)
    {
        await using var harness = new StreamHarness();
        (_, TestPeer first) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        var buffer = new byte[1500];
        for (int i = 0; i < 20; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(10));
            StreamMedia.Send(first.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)(30000 + i), (uint)(i * 900), keyframe: i == 0));
            await StreamHarness.Eventually(() => viewer.Handler.RtpCount == i + 1, () => "each packet in turn");
        }

        // The caller's phone drops off; the stream waits.
        first.Transport.Dispose();
        await StreamHarness.Eventually(() => harness.Stream.State == MediaStreamState.PublisherGone, () => $"publisher gone, state {harness.Stream.State}");
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        harness.Stream.Tick(harness.Time.Now);
        Assert.Equal(MediaStreamState.PublisherGone, harness.Stream.State);

        // It reconnects: new transport, new encoder, numbering restarted (under the same SSRC, or a new one).
        (_, TestPeer second) = await harness.ConnectPublisherAsync(StreamMedia.Video(ssrc: secondSsrc));
        Assert.Equal(MediaStreamState.Live, harness.Stream.State);
        for (int i = 0; i < 20; i++)
        {
            StreamMedia.Send(second.Transport, buffer, StreamMedia.WriteVp8(buffer, (ushort)(5 + i), (uint)(777 + (i * 900)), keyframe: i == 0, ssrc: secondSsrc));
        }

        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == 40, () => $"40 packets, got {viewer.Handler.RtpCount}");
        RtpHeader[] headers = viewer.Handler.Rtp.Select(StreamMedia.Header).ToArray();
        for (int i = 1; i < headers.Length; i++)
        {
            Assert.Equal(ViewerSsrc, headers[i].Ssrc);
            Assert.Equal((ushort)(headers[0].SequenceNumber + i), headers[i].SequenceNumber);
        }

        // Time moved on by the 2 s the publisher was away, in 90 kHz units, then on by the new encoder's steps.
        Assert.Equal(2 * 90000u, headers[20].Timestamp - headers[19].Timestamp);
        Assert.Equal(900u, headers[21].Timestamp - headers[20].Timestamp);
        Assert.True(StreamMedia.IsVp8Keyframe(viewer.Handler.Rtp.ElementAt(20)));
    }

    [Fact]
    public async Task AfterTheGracePeriod_TheStreamEnds_AndItsViewersAreClosed()
    {
        await using var harness = new StreamHarness(new MediaStreamOptions { PublisherGracePeriod = TimeSpan.FromSeconds(30) });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));

        publisher.RelaySide.Dispose();
        Assert.Equal(MediaStreamState.PublisherGone, harness.Stream.State);
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        harness.Stream.Tick(harness.Time.Now);
        Assert.Equal(MediaStreamState.PublisherGone, harness.Stream.State);
        Assert.Equal(1, harness.Stream.SubscriberCount);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Stream.Tick(harness.Time.Now);
        Assert.Equal(MediaStreamState.Ended, harness.Stream.State);
        Assert.Equal(0, harness.Stream.SubscriberCount);
        Assert.Equal(PeerTransportState.Closed, viewer.RelaySide.State);
        Assert.Throws<ObjectDisposedException>(() => harness.Stream.AddSubscriber([StreamMedia.ViewerVideo(1)]));
        Assert.Throws<ObjectDisposedException>(() => harness.Stream.AttachPublisher([StreamMedia.Video()]));
    }

    [Fact]
    public async Task AReplacedPublisher_IsDetached_AndItsPacketsAreDropped()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer first) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        (_, TestPeer second) = await harness.ConnectPublisherAsync(StreamMedia.Video());

        Assert.Equal(PeerTransportState.Closed, first.RelaySide.State);
        Assert.Equal(MediaStreamState.Live, harness.Stream.State);
        Assert.Equal(PeerTransportState.Connected, second.RelaySide.State);
    }

    [Fact]
    public async Task AFirstPublisherDetachedBeforeItsTransportStarted_LeavesTheStreamWaiting_ForTheNextOne()
    {
        await using var harness = new StreamHarness();
        (_, TestPeer viewer) = await harness.ConnectViewerAsync(StreamMedia.ViewerVideo(ViewerSsrc));
        MediaPublisher failed = harness.Stream.AttachPublisher([StreamMedia.Video()]);
        Assert.Equal(MediaStreamState.Live, harness.Stream.State);

        harness.Stream.DetachPublisher(failed);

        Assert.Equal(MediaStreamState.WaitingForPublisher, harness.Stream.State);
        Assert.Empty(harness.Stream.Tracks);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        harness.Stream.Tick(harness.Time.Now);
        Assert.Equal(MediaStreamState.WaitingForPublisher, harness.Stream.State);

        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        Assert.Equal(MediaStreamState.Live, harness.Stream.State);
        var buffer = new byte[1500];
        StreamMedia.Send(publisher.Transport, buffer, StreamMedia.WriteVp8(buffer, 100, 0, keyframe: true));
        await StreamHarness.Eventually(() => viewer.Handler.RtpCount == 1, () => "the next publisher's keyframe at the viewer");
    }

    [Fact]
    public async Task AReplacementDetachedBeforeItsTransportStarted_LeavesTheStreamInTheGracePeriod_ThenItEnds()
    {
        await using var harness = new StreamHarness(new MediaStreamOptions { PublisherGracePeriod = TimeSpan.FromSeconds(30) });
        (_, TestPeer first) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        MediaPublisher failed = harness.Stream.AttachPublisher([StreamMedia.Video()]);
        Assert.Equal(PeerTransportState.Closed, first.RelaySide.State);

        harness.Stream.DetachPublisher(failed);
        harness.Stream.DetachPublisher(failed);

        Assert.Equal(MediaStreamState.PublisherGone, harness.Stream.State);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        harness.Stream.Tick(harness.Time.Now);
        Assert.Equal(MediaStreamState.Ended, harness.Stream.State);
    }

    [Fact]
    public async Task DetachingAPublisherTheStreamHasAlreadyReplaced_ChangesNothing()
    {
        await using var harness = new StreamHarness();
        MediaPublisher replaced = harness.Stream.AttachPublisher([StreamMedia.Video()]);
        (_, TestPeer current) = await harness.ConnectPublisherAsync(StreamMedia.Video());

        harness.Stream.DetachPublisher(replaced);

        Assert.Equal(MediaStreamState.Live, harness.Stream.State);
        Assert.Equal(PeerTransportState.Connected, current.RelaySide.State);
    }

    [Fact]
    public async Task EveryStateChange_IsReportedAsItHappens()
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        StreamHarness? current = null;
        await using var harness = new StreamHarness(
            new MediaStreamOptions { PublisherGracePeriod = TimeSpan.FromSeconds(30) },
            stateChanged: id => seen.Enqueue(id + ":" + current!.Stream.State));
        current = harness;

        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        publisher.RelaySide.Dispose();
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        harness.Stream.Tick(harness.Time.Now);
        harness.Stream.Dispose();

        Assert.Equal(["stream-1:Live", "stream-1:PublisherGone", "stream-1:Ended"], seen);
    }
}
