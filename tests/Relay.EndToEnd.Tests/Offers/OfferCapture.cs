using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Offers;

/// <summary>
/// Captures the offer a test page sends, with no relay running: Playwright serves the page from
/// the source tree and answers its WHIP/WHEP POST itself after keeping the body. The origin is
/// loopback so the page is a secure context (getUserMedia needs one); nothing listens there.
/// </summary>
internal static class OfferCapture
{
    private const string Origin = "http://127.0.0.1:58999";

    public static async Task<string> CaptureAsync(ChromiumFixture chromium, string page, string query)
    {
        await using IBrowserContext context = await chromium.NewContextAsync();
        var offer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.RouteAsync(Origin + "/test/*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/html",
            Path = Path.Combine(Repository.TestPages, new Uri(route.Request.Url).Segments[^1]),
        }));
        await context.RouteAsync(new System.Text.RegularExpressions.Regex("/(whip|whep)/"), async route =>
        {
            offer.TrySetResult(route.Request.PostData ?? string.Empty);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 503, Body = "captured" });
        });

        IPage tab = await context.NewPageAsync();
        await tab.GotoAsync($"{Origin}/test/{page}?{query}");
        return await offer.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
