using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Relay.EndToEnd.Tests.Journey;

namespace Relay.EndToEnd.Tests.WebKit;

/// <summary>
/// The caller's page in WebKit, Safari's engine (iOS Safari cannot run here; Debian's WebKitGTK can):
/// its script runs, it speaks English and Welsh, and on a WebKit that cannot send video (this build has
/// no WebRTC, like some in-app browsers) it says so plainly and shares location instead of retrying.
/// The officer's player too: an officer on such a tablet still follows the caller on the map.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class WebKitCallerTests(WebKitFixture webkit, ChromiumFixture chromium, RelayFixture relay)
{
    private const string Supervisor = "webkit-supervisor";
    private const string Password = "webkit end to end passphrase";

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheCallerPageRunsInWebKitAndSwitchesBetweenEnglishAndWelsh()
    {
        (_, string link) = await JourneyPages.CreateLinkAsync(relay.Server, "video");
        await using WebDriverSession page = await webkit.NewSessionAsync();

        await page.GoToAsync(link);

        await page.UntilAsync("window.relayCaller && window.relayCaller.phase === 'consent'", "the consent to show");
        Assert.Contains("Safari", await page.TextAsync("navigator.userAgent"), StringComparison.Ordinal);
        Assert.Equal("Start sharing", await page.TextAsync("document.getElementById('start').textContent"));
        await page.ExecuteAsync("document.getElementById('language').click();");
        Assert.Equal("cy", await page.TextAsync("document.documentElement.lang"));
        Assert.Equal("Dechrau rhannu", await page.TextAsync("document.getElementById('start').textContent"));
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task OnAWebKitWithoutWebRtcStartSaysVideoCannotBeSentKeepsTheCameraOffAndDoesNotRetry()
    {
        (_, string link) = await JourneyPages.CreateLinkAsync(relay.Server, "video");
        await using WebDriverSession page = await webkit.NewSessionAsync();
        await page.GoToAsync(link);
        await page.UntilAsync("window.relayCaller && window.relayCaller.phase === 'consent'", "the consent to show");
        Assert.True(
            await page.TextAsync("typeof RTCPeerConnection") == "undefined",
            "This WebKit has WebRTC: the test was written for Debian 12's WebKitGTK without it; make it check that video connects instead.");

        await page.ExecuteAsync("document.getElementById('start').click();");

        await page.UntilAsync("window.relayCaller.phase === 'live' && !document.getElementById('offer').hidden", "the page to say video cannot be sent");
        Assert.Equal("This browser cannot share video. Your location can still be shared.", await page.TextAsync("document.getElementById('offer-text').textContent"));
        Assert.Equal("null", await page.TextAsync("window.relayCaller.media"));
        await Task.Delay(1500);
        Assert.Equal("0", await page.TextAsync("window.relayCaller.publishes"));
        Assert.DoesNotContain("reconnect", await page.TextAsync("document.getElementById('status').textContent"), StringComparison.OrdinalIgnoreCase);

        await page.ExecuteAsync("document.getElementById('language').click();");
        Assert.Equal("Ni all y porwr hwn rannu fideo. Gellir rhannu eich lleoliad o hyd.", await page.TextAsync("document.getElementById('offer-text').textContent"));
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnOfficerOnAWebKitWithoutWebRtcIsToldVideoCannotPlayAndStillFollowsTheCallerOnTheMap()
    {
        await using RelayServer server = await RelayServer.StartAsync("webkit-player", "--RELAY_ADMIN_USER=" + Supervisor, "--RELAY_ADMIN_PASSWORD=" + Password);
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.50735, -0.12776, ["camera", "geolocation"]);
        await JourneyPages.StartSharingAsync(phone, link, "window.relayCaller.connected === true && window.relayCaller.positionsSent > 0");

        await using WebDriverSession officer = await webkit.NewSessionAsync();
        await officer.GoToAsync(new Uri(server.BaseAddress, "/login?returnUrl=" + Uri.EscapeDataString("/player/" + id)).ToString());
        await officer.UntilAsync("document.getElementById('username') !== null", "the sign-in page");
        await officer.ExecuteAsync($$"""
            document.getElementById('username').value = '{{Supervisor}}';
            document.getElementById('password').value = '{{Password}}';
            document.querySelector('button[type=submit]').click();
            """);
        await officer.UntilAsync($"location.pathname === '/player/{id}'", "the player after signing in");
        await officer.UntilAsync("window.relayPlayer && window.relayPlayer.state === 'live' && window.relayPlayer.markerLatLng() !== null", "the caller live on the map");

        Assert.Equal("51.50735,-0.12776", await officer.TextAsync("(m => m.lat.toFixed(5) + ',' + m.lng.toFixed(5))(window.relayPlayer.markerLatLng())"));
        await officer.UntilAsync("document.getElementById('video-note').textContent.includes('cannot play live video')", "the player to say video cannot play");
        Assert.Equal("null", await officer.TextAsync("window.relayPlayer.pc"));
    }
}
