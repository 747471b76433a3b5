using Relay.EndToEnd.Tests.Infrastructure;
using Relay.EndToEnd.Tests.Journey;

namespace Relay.EndToEnd.Tests.WebKit;

/// <summary>
/// The caller's page in WebKit, Safari's engine (iOS Safari cannot run here; Debian's WebKitGTK can):
/// its script runs, it speaks English and Welsh, and on a WebKit that cannot send video (this build has
/// no WebRTC, like some in-app browsers) it says so plainly and shares location instead of retrying.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class WebKitCallerTests(WebKitFixture webkit, RelayFixture relay)
{
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
}
