using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>A real WHIP client other than a browser: GStreamer webrtcbin publishes, Chromium watches.</summary>
[Collection(BrowserGroup.Name)]
public sealed class GStreamerPublisherTests(ChromiumFixture chromium, RelayFixture relay)
{
    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ChromiumDecodesAGStreamerTestPatternPublishedOverWhip()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using GStreamerPublisher publisher = GStreamerPublisher.Start(server, session, TimeSpan.FromSeconds(30), "gstreamer-publisher");
        await publisher.WaitUntilConnectedAsync(TimeSpan.FromSeconds(15));
        await using var pages = new TestPages(chromium);

        IPage viewer = await pages.ViewAsync(server, session);

        ViewerStats first = await TestPages.WaitForStatsAsync(viewer, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(10), "the first decoded frame");
        ViewerStats later = await TestPages.WaitForStatsAsync(
            viewer, s => s.FramesDecoded >= first.FramesDecoded + 15, TimeSpan.FromSeconds(5), "the viewer to keep decoding");
        Assert.Equal("video/VP8", later.Codec, ignoreCase: true);
        await TestPages.ScreenshotAsync(viewer, "gstreamer-viewer");
    }
}
