using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Journey;

/// <summary>
/// A caller link's life as the caller sees it: it expires (a relay with a 2 s lifetime), it is used
/// once (a second browser cannot use it), and the officer can end the session under a live caller.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CallerLinkTests(ChromiumFixture chromium, RelayFixture relay)
{
    // Long enough to open the page on a busy machine before it runs out; the test waits it out once.
    private static readonly TimeSpan s_lifetime = TimeSpan.FromSeconds(5);

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnExpiredLinkShowsTheExpiredPageInEnglishAndWelshAndCannotStart()
    {
        await using RelayServer server = await RelayServer.StartAsync("short-links", "--Relay:Sessions:CallerTokenLifetime=" + s_lifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.5, -0.1, ["camera", "geolocation"]);
        await phone.AddInitScriptAsync(JourneyPages.CountCameraRequests);
        (_, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        var created = Stopwatch.StartNew();

        // Opened in time, but Start pressed after the link expired.
        IPage opened = await JourneyPages.OpenCallerAsync(phone, link);
        Assert.True(await opened.IsVisibleAsync("#start"), $"The link, opened {created.ElapsedMilliseconds} ms after it was made, should offer Start.");
        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (s_lifetime - created.Elapsed + TimeSpan.FromMilliseconds(500)).Ticks)));
        await opened.ClickAsync("#start");
        await JourneyPages.UntilAsync(opened, "window.relayCaller.phase === 'problem'", "the page to say the link expired");
        Assert.Contains("This link has expired", await opened.InnerTextAsync("#problem-text"), StringComparison.Ordinal);
        await opened.ClickAsync("#language");
        Assert.Contains("Mae'r ddolen hon wedi dod i ben", await opened.InnerTextAsync("#problem-text"), StringComparison.Ordinal);
        Assert.Null(await opened.EvaluateAsync<string?>("() => window.relayCaller.session && window.relayCaller.session.sessionId"));
        Assert.Equal(0, await opened.EvaluateAsync<int>("() => window.relayCameraRequests"));

        // Opened after it expired: the plain page, in both languages, with nothing to press.
        IPage late = await phone.NewPageAsync();
        IResponse? response = await late.GotoAsync(link);
        Assert.Equal((int)HttpStatusCode.Gone, response!.Status);
        string body = await late.InnerTextAsync("body");
        Assert.Contains("This link has expired", body, StringComparison.Ordinal);
        Assert.Contains("Mae'r ddolen hon wedi dod i ben", body, StringComparison.Ordinal);
        Assert.Equal("cy", await late.GetAttributeAsync("section:nth-of-type(2)", "lang"));
        Assert.Equal(0, await late.Locator("button, input, video").CountAsync());
        Assert.Equal(0, await late.EvaluateAsync<int>("() => window.relayCameraRequests"));

        using HttpResponseMessage start = await server.Http.PostAsync(new Uri(link + "/start"), null);
        Assert.Equal(HttpStatusCode.Gone, start.StatusCode);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AUsedLinkCannotBeUsedFromASecondBrowserWhileTheFirstShares()
    {
        RelayServer server = relay.Server;
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext first = await journey.NewPhoneAsync(51.5, -0.1, ["camera", "geolocation"]);
        IPage caller = await JourneyPages.StartSharingAsync(first, link);

        IBrowserContext second = await journey.NewPhoneAsync(51.6, -0.2, ["camera", "geolocation"]);
        await second.AddInitScriptAsync(JourneyPages.CountCameraRequests);
        IPage other = await second.NewPageAsync();
        IResponse? response = await other.GotoAsync(link);
        Assert.Equal((int)HttpStatusCode.Gone, response!.Status);
        Assert.Contains("already been used", await other.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.Equal(0, await other.Locator("button, input, video").CountAsync());

        // Nor can its script: Start is refused, and without the first phone's key the WHIP and event endpoints are shut.
        int startStatus = await other.EvaluateAsync<int>($"async () => (await fetch('{link}/start', {{ method: 'POST' }})).status");
        Assert.Equal((int)HttpStatusCode.Gone, startStatus);
        int whipStatus = await other.EvaluateAsync<int>($"async () => (await fetch('/whip/{id}', {{ method: 'POST', headers: {{ 'Content-Type': 'application/sdp' }}, body: 'v=0' }})).status");
        Assert.Equal((int)HttpStatusCode.Unauthorized, whipStatus);
        bool socketOpened = await other.EvaluateAsync<bool>($"() => new Promise(resolve => {{ const s = new WebSocket(location.origin.replace('http', 'ws') + '/ws/caller/{id}'); s.onopen = () => {{ s.close(); resolve(true); }}; s.onerror = () => resolve(false); }})");
        Assert.False(socketOpened, "A second browser opened the caller's event socket without the caller key.");
        Assert.Equal(0, await other.EvaluateAsync<int>("() => window.relayCameraRequests"));

        // The first phone shares on, untouched.
        Assert.True(await caller.EvaluateAsync<bool>("() => window.relayCaller.connected && !window.relayCaller.ended"));
        await caller.ClickAsync("#stop");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.phase === 'finished'", "the first phone's Stop");
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheOfficerEndingTheSessionStopsTheCallersMediaAndThePageSaysSo()
    {
        RelayServer server = relay.Server;
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.5, -0.1, ["camera", "geolocation"]);
        IPage caller = await JourneyPages.StartSharingAsync(phone, link, "window.relayCaller.connected === true && window.relayCaller.positionsSent > 0");

        using var end = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{id}");
        end.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        var clock = Stopwatch.StartNew();
        (await server.Http.SendAsync(end)).EnsureSuccessStatusCode();
        await JourneyPages.UntilAsync(caller, "window.relayCaller.phase === 'finished' && window.relayCaller.ended === true", "the caller's page to show the officer's end", TimeSpan.FromSeconds(2) - clock.Elapsed);

        Assert.Equal("The officer has ended the sharing", await caller.InnerTextAsync("#finished-title"));
        Assert.Equal(0, await caller.EvaluateAsync<int>("() => window.relayCaller.media.getTracks().filter(t => t.readyState === 'live').length"));
        Assert.True(await caller.EvaluateAsync<bool>("() => window.relayCaller.pc === null && window.relayCaller.watchId === null && window.relayCaller.socket === null"));
        await caller.ClickAsync("#language");
        Assert.Equal("Mae'r swyddog wedi dod â'r rhannu i ben", await caller.InnerTextAsync("#finished-title"));

        // Nothing more is sent: the position count stands still while the phone moves.
        int sent = await caller.EvaluateAsync<int>("() => window.relayCaller.positionsSent");
        await phone.SetGeolocationAsync(new Geolocation { Latitude = 51.51f, Longitude = -0.11f, Accuracy = 5 });
        await Task.Delay(600);
        Assert.Equal(sent, await caller.EvaluateAsync<int>("() => window.relayCaller.positionsSent"));
    }
}
