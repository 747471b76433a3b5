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

    /// <summary>
    /// The offer Chromium makes with no codec preferences set: audio and video from the fake
    /// devices (<paramref name="send"/>), or two recvonly transceivers, as a player would.
    /// </summary>
    public static async Task<string> CaptureDefaultAsync(ChromiumFixture chromium, bool send)
    {
        await using IBrowserContext context = await chromium.NewContextAsync();
        await context.RouteAsync(Origin + "/blank.html", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/html",
            Body = "<!doctype html><title>blank</title>",
        }));
        IPage tab = await context.NewPageAsync();
        await tab.GotoAsync(Origin + "/blank.html");
        return await tab.EvaluateAsync<string>(
            """
            async send => {
              const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
              if (send) {
                const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
                for (const track of media.getTracks()) pc.addTransceiver(track, { direction: "sendonly", streams: [media] });
              } else {
                pc.addTransceiver("video", { direction: "recvonly" });
                pc.addTransceiver("audio", { direction: "recvonly" });
              }
              await pc.setLocalDescription(await pc.createOffer());
              if (pc.iceGatheringState !== "complete") {
                await new Promise(resolve => pc.addEventListener("icegatheringstatechange", () => { if (pc.iceGatheringState === "complete") resolve(); }));
              }
              const sdp = pc.localDescription.sdp;
              pc.close();
              return sdp;
            }
            """,
            send);
    }
}
