using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>A Chromium caller publishes its fake camera over WHIP; two Chromium officers watch over WHEP.</summary>
[Collection(BrowserGroup.Name)]
public sealed class FanOutTests(ChromiumFixture chromium, RelayFixture relay)
{
    [Theory(Timeout = TestTimeouts.Test)]
    [InlineData("vp8", "video/VP8")]
    [InlineData("h264", "video/H264")]
    public async Task TwoChromiumViewersDecodeWhatAChromiumCallerPublishes(string codec, string mimeType)
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);

        await pages.PublishAsync(server, session, codec);
        IPage[] viewers = [await pages.ViewAsync(server, session), await pages.ViewAsync(server, session)];

        for (int i = 0; i < viewers.Length; i++)
        {
            ViewerStats first = await TestPages.WaitForStatsAsync(viewers[i], s => s.FramesDecoded > 0, TimeSpan.FromSeconds(10), $"viewer {i + 1}'s first decoded frame");
            ViewerStats later = await TestPages.WaitForStatsAsync(
                viewers[i], s => s.FramesDecoded >= first.FramesDecoded + 15, TimeSpan.FromSeconds(5), $"viewer {i + 1} to keep decoding");
            Assert.Equal(mimeType, later.Codec, ignoreCase: true);
            await TestPages.ScreenshotAsync(viewers[i], $"fan-out-{codec}-viewer-{i + 1}");
        }
    }
}
