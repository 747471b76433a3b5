using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>The relay's test pages (wwwroot/test) in Chromium: a publisher and viewers, each in its own context.</summary>
public sealed class TestPages : IAsyncDisposable
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(15);

    private readonly ChromiumFixture _chromium;
    private readonly List<IBrowserContext> _contexts = [];

    public TestPages(ChromiumFixture chromium) => _chromium = chromium;

    /// <summary>Opens publish.html with the fake camera and waits until its peer connection is connected.</summary>
    public async Task<IPage> PublishAsync(RelayServer relay, RelaySession session, string codec)
    {
        IPage page = await OpenAsync(relay, $"publish.html?id={session.Id}&token={Uri.EscapeDataString(session.CallerKey)}&codec={codec}");
        await SettleAsync(page, "relayPublish", "publisher");
        return page;
    }

    /// <summary>Opens view.html and waits until its peer connection is connected.</summary>
    public async Task<IPage> ViewAsync(RelayServer relay, RelaySession session)
    {
        IPage page = await OpenAsync(relay, $"view.html?id={session.Id}&key={Uri.EscapeDataString(relay.ApiKey)}");
        await SettleAsync(page, "relayView", "viewer");
        return page;
    }

    public static async Task<ViewerStats> StatsAsync(IPage viewer)
    {
        string json = await viewer.EvaluateAsync<string>("async () => JSON.stringify(await window.relayStats())");
        return JsonSerializer.Deserialize<ViewerStats>(json, JsonSerializerOptions.Web)!;
    }

    /// <summary>Polls the viewer until <paramref name="done"/> holds, failing with the last figures after <paramref name="timeout"/>.</summary>
    public static async Task<ViewerStats> WaitForStatsAsync(IPage viewer, Func<ViewerStats, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        ViewerStats stats = await StatsAsync(viewer);
        while (!done(stats))
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds} s for {what}; the viewer reports {stats}.");
            }

            await Task.Delay(100);
            stats = await StatsAsync(viewer);
        }

        return stats;
    }

    /// <summary>Saves a screenshot of the page under the artifacts folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Artifacts, name + ".png") });

    public async ValueTask DisposeAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }

    private static async Task SettleAsync(IPage page, string promise, string who)
    {
        try
        {
            await page.EvaluateAsync($"() => window.{promise}");
            await page.WaitForFunctionAsync(
                "() => window.relayPeer && window.relayPeer.connectionState === 'connected'",
                null,
                new PageWaitForFunctionOptions { Timeout = (float)s_connectTimeout.TotalMilliseconds, PollingInterval = 50 });
        }
        catch (PlaywrightException e)
        {
            string status = await page.InnerTextAsync("#status");
            throw new InvalidOperationException($"The {who} page did not connect ({status}): {e.Message}", e);
        }
    }

    private async Task<IPage> OpenAsync(RelayServer relay, string pathAndQuery)
    {
        IBrowserContext context = await _chromium.NewContextAsync();
        _contexts.Add(context);
        IPage page = await context.NewPageAsync();
        IResponse? response = await page.GotoAsync(new Uri(relay.BaseAddress, "/test/" + pathAndQuery).ToString());
        Assert.True(response is { Ok: true }, $"GET /test/{pathAndQuery} answered {response?.Status}");
        return page;
    }
}
