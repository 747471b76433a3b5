using Relay.Media.Streams;

namespace Relay.Media.Tests.Streams;

public sealed class MediaStreamKeyframeRequestTests
{
    [Fact]
    public async Task RequestKeyframe_SendsOnePliToThePublisherPerInterval()
    {
        await using var harness = new StreamHarness(new MediaStreamOptions { KeyframeRequestInterval = TimeSpan.FromMilliseconds(500) });
        (_, TestPeer publisher) = await harness.ConnectPublisherAsync(StreamMedia.Video());
        await StreamHarness.Eventually(() => harness.Stream.State == MediaStreamState.Live, () => $"a live stream, got {harness.Stream.State}");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        int before = StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc);
        long sentBefore = harness.Stream.Counters.KeyframeRequestsSent;

        harness.Stream.RequestKeyframe();
        harness.Stream.RequestKeyframe();

        await StreamHarness.Eventually(
            () => StreamMedia.CountPlis(publisher.Handler.Rtcp, StreamMedia.PublisherVideoSsrc) == before + 1,
            () => "one PLI at the publisher");
        Assert.Equal(sentBefore + 1, harness.Stream.Counters.KeyframeRequestsSent);
    }

    [Fact]
    public void RequestKeyframe_DoesNothingWithoutAPublisher()
    {
        using var pool = new Relay.Testing.Buffers.LeakCheckingPacketBufferPool();
        using var stream = new MediaStream("s", new MediaStreamOptions(), pool, new Relay.Testing.Time.ManualTimeProvider());

        stream.RequestKeyframe();

        Assert.Equal(0, stream.Counters.KeyframeRequestsSent);
    }
}
