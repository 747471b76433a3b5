using System.Diagnostics;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>
/// Officers on mobile data lose packets; the relay retransmits from its packet cache when the
/// viewer NACKs. Two relays run side by side, one dropping 5% of first transmissions to viewers
/// (Relay:Media:ViewerPacketLossForTesting), each with a Chromium caller and viewer, so both
/// measurements share the same machine load.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PacketLossTests(ChromiumFixture chromium, RelayFixture relay, ITestOutputHelper output)
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(8);

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task WithFivePercentLossNackKeepsTheDecodedFrameRateAboveNinetyPercentOfALosslessRun()
    {
        RelayServer lossless = relay.Server;
        await using RelayServer lossy = await RelayServer.StartAsync("lossy", "--Relay:Media:ViewerPacketLossForTesting=0.05");
        await using var pages = new TestPages(chromium);
        IPage losslessViewer = await StartAsync(pages, lossless);
        IPage lossyViewer = await StartAsync(pages, lossy);

        // Past start-up (first keyframe, bandwidth ramp), then one window measured on both at once.
        await TestPages.WaitForStatsAsync(losslessViewer, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(10), "the lossless viewer's first frame");
        await TestPages.WaitForStatsAsync(lossyViewer, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(10), "the lossy viewer's first frame");
        await Task.Delay(TimeSpan.FromSeconds(1));
        ViewerStats losslessBefore = await TestPages.StatsAsync(losslessViewer);
        ViewerStats lossyBefore = await TestPages.StatsAsync(lossyViewer);
        var clock = Stopwatch.StartNew();
        await Task.Delay(s_window);
        ViewerStats losslessAfter = await TestPages.StatsAsync(losslessViewer);
        ViewerStats lossyAfter = await TestPages.StatsAsync(lossyViewer);
        double seconds = clock.Elapsed.TotalSeconds;

        double losslessFps = (losslessAfter.FramesDecoded - losslessBefore.FramesDecoded) / seconds;
        double lossyFps = (lossyAfter.FramesDecoded - lossyBefore.FramesDecoded) / seconds;
        output.WriteLine($"lossless: {losslessFps:F1} decoded frames/s, {losslessAfter}");
        output.WriteLine($"5% loss:  {lossyFps:F1} decoded frames/s, {lossyAfter}");
        output.WriteLine($"lossless relay: {Describe(await lossless.ScrapeAsync())}");
        output.WriteLine($"lossy relay:    {Describe(await lossy.ScrapeAsync())}");
        await TestPages.ScreenshotAsync(losslessViewer, "packet-loss-lossless-viewer");
        await TestPages.ScreenshotAsync(lossyViewer, "packet-loss-lossy-viewer");

        Assert.True(losslessFps > 5, $"The lossless viewer decoded only {losslessFps:F1} frames/s; the comparison means nothing.");
        Assert.True(lossyAfter.NackCount > lossyBefore.NackCount, $"The lossy viewer sent no NACK in the window ({lossyAfter}); was the loss injected?");
        Assert.True(
            lossyFps >= 0.9 * losslessFps,
            $"With 5% loss the viewer decoded {lossyFps:F1} frames/s, below 90% of the lossless {losslessFps:F1} frames/s.");
    }

    private static string Describe(PrometheusSample metrics) =>
        $"NACKs received {metrics.Sum("relay_nacks_received_total")}, retransmissions {metrics.Sum("relay_retransmissions_total")}, " +
        $"keyframe requests {metrics.Sum("relay_keyframe_requests_total")}, RTP out {metrics.Sum("relay_rtp_packets_total", "direction=\"out\"")}";

    private static async Task<IPage> StartAsync(TestPages pages, RelayServer server)
    {
        RelaySession session = await server.CreateSessionAsync();
        await pages.PublishAsync(server, session, "vp8");
        return await pages.ViewAsync(server, session);
    }
}
