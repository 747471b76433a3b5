using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>
/// The relay must not starve the caller's encoder. Regression: WHIP answers accepted transport-cc
/// and goog-remb, which the relay never sends; Chromium's estimate then fell from 280 to 37 kbps
/// within 10 s (640 to 480 wide, 20 to 7 frames/s) on loopback.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CallerSendRateTests(ChromiumFixture chromium, RelayFixture relay, ITestOutputHelper output)
{
    // Chromium starts its estimate at 300 kbps; on loopback it only has reason to go up.
    private const double MinimumBitrate = 300_000;

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AChromiumCallersSendRateIsNotCutByTheRelay()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);
        IPage publisher = await pages.PublishAsync(server, session, "vp8");
        IPage viewer = await pages.ViewAsync(server, session);
        await TestPages.WaitForStatsAsync(viewer, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(10), "the viewer's first frame");

        await Task.Delay(TimeSpan.FromSeconds(8));
        string json = await publisher.EvaluateAsync<string>("async () => JSON.stringify(await window.relaySenderStats())");
        using var stats = JsonDocument.Parse(json);
        double available = stats.RootElement.GetProperty("availableOutgoingBitrate").GetDouble();
        string? limitation = stats.RootElement.GetProperty("qualityLimitationReason").GetString();
        output.WriteLine($"caller after 8 s: {json}");

        Assert.True(available >= MinimumBitrate, $"The caller's congestion controller allows only {available / 1000:F0} kbps after 8 s on loopback: {json}");
        Assert.NotEqual("bandwidth", limitation);
    }
}
