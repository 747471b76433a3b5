using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>
/// A real WHIP publisher that is not a browser streams for longer than the relay's ICE consent
/// timeout (RFC 7675: 30 s), and the officer's picture does not stop at the timeout.
/// </summary>
/// <remarks>
/// GStreamer's webrtcbin (libnice 0.1.21) by default keeps its path alive with unauthenticated STUN
/// Binding indications (RFC 8445 section 11), which grant no consent, so the relay ended it 30 s in;
/// gst/whip_publish.py now has libnice send authenticated Binding requests instead.
/// </remarks>
[Collection(BrowserGroup.Name)]
public sealed class LongPublishTests(ChromiumFixture chromium, RelayFixture relay)
{
    private const string ConsentLosses = "relay_ice_consent_losses_total";
    private const string Dropped = "relay_packets_dropped_total";
    private const string StunNotRequest = "reason=\"stun_not_request\"";

    // 15 s past the relay's 30 s consent timeout (swept once a second): a publisher whose consent
    // ran out has been ended by then, and its viewer has seen the picture stop.
    private static readonly TimeSpan s_publishedFor = TimeSpan.FromSeconds(45);

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AGStreamerPublisherStreamsPastTheConsentTimeoutAndTheViewerKeepsDecoding()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using GStreamerPublisher publisher = GStreamerPublisher.Start(server, session, TimeSpan.FromSeconds(70), "gstreamer-long-publisher");
        await publisher.WaitUntilConnectedAsync(TimeSpan.FromSeconds(15));
        var sinceConnected = Stopwatch.StartNew();
        await using var pages = new TestPages(chromium);
        IPage viewer = await pages.ViewAsync(server, session);
        await TestPages.WaitForStatsAsync(viewer, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(10), "the first decoded frame");

        PrometheusSample before = await server.ScrapeAsync();
        TimeSpan left = s_publishedFor - sinceConnected.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        PrometheusSample after = await server.ScrapeAsync();
        ViewerStats atTimeout = await TestPages.StatsAsync(viewer);
        ViewerStats later = await TestPages.WaitForStatsAsync(
            viewer,
            s => s.FramesDecoded >= atTimeout.FramesDecoded + 15,
            TimeSpan.FromSeconds(5),
            $"the viewer to keep decoding {sinceConnected.Elapsed.TotalSeconds:F0} s after the publisher connected; meanwhile the relay "
                + $"lost consent of {Delta(before, after, ConsentLosses)} peers and dropped {Delta(before, after, Dropped, StunNotRequest)} STUN messages "
                + $"that were not Binding requests (see {publisher.LogPath} and {server.LogPath})");
        Assert.Equal("video/VP8", later.Codec, ignoreCase: true);
        Assert.Equal("live", await StreamStateAsync(server, session.Id));
        await TestPages.ScreenshotAsync(viewer, "gstreamer-long-viewer");
    }

    private static double Delta(PrometheusSample before, PrometheusSample after, string name) => after.Sum(name) - before.Sum(name);

    private static double Delta(PrometheusSample before, PrometheusSample after, string name, string labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    /// <summary>The session's media stream state from <c>GET /api/sessions/{id}</c>: "live" while the publisher's transport is up.</summary>
    private static async Task<string?> StreamStateAsync(RelayServer server, string sessionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{sessionId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/sessions/{sessionId} answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("media").GetProperty("stream").GetString();
    }
}
