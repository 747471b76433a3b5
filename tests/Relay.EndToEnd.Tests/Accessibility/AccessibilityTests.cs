using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Relay.EndToEnd.Tests.Journey;

namespace Relay.EndToEnd.Tests.Accessibility;

/// <summary>
/// WCAG 2.2 AA, checked by axe-core in Chromium on every state of the caller's page (consent, live,
/// stopped, ended, refused camera, a start that fails, the refusal pages) in English and Welsh, the
/// officer's player and the sign-in page; and what axe cannot see: that the keyboard reaches every
/// control in a sensible order and that text at 200% keeps every control on screen.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessibilityTests(ChromiumFixture chromium, RelayFixture relay)
{
    // The page's camera request fails as when the caller says no.
    private const string RefuseCamera = """
        if (navigator.mediaDevices) {
          navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        }
        """;

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheCallerPageAndThePlayerMeetWcag22AaThroughALiveSessionInEnglishAndWelsh()
    {
        RelayServer server = relay.Server;
        var axe = new AxeCheck();
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.5035, -0.127, ["camera", "geolocation"]);
        IPage caller = await phone.NewPageAsync();
        JourneyPages.Watch(caller);

        await caller.GotoAsync(link);
        await CheckBothLanguagesAsync(axe, caller, "caller consent");
        await caller.ClickAsync("#start");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.connected === true && window.relayCaller.positionsSent > 0", "the caller to go live");

        IPage player = await journey.OpenPlayerAsync(server, id);
        await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'live' && window.relayPlayer.lastPosition !== null", "the player to show the caller live on the map");
        await JourneyPages.WaitForFramesAsync(player, 10, "the caller's video decoded");
        await player.FillAsync("#chat-text", "Which door are you at?");
        await player.ClickAsync("#chat-form button");
        await JourneyPages.UntilAsync(caller, "document.getElementById('messages').innerText.includes('Which door')", "the officer's message on the phone");
        await caller.FillAsync("#reply-text", "The red one");
        await caller.ClickAsync("#reply button");
        await JourneyPages.UntilAsync(player, "document.getElementById('messages').innerText.includes('The red one')", "the caller's reply in the player");

        await CheckBothLanguagesAsync(axe, caller, "caller live");
        await axe.CheckAsync(player, "player live");

        await caller.ClickAsync("#stop");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.phase === 'finished'", "the caller's page to show the stop");
        await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'ended'", "the player to show the end");
        await CheckBothLanguagesAsync(axe, caller, "caller stopped");
        await axe.CheckAsync(player, "player ended");
        axe.AssertClean();
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheCallerPagesProblemsMeetWcag22AaInEnglishAndWelsh()
    {
        RelayServer server = relay.Server;
        var axe = new AxeCheck();
        await using var journey = new JourneyPages(chromium);

        // The camera refused: the page says what that means and offers to try again.
        (_, string refusedLink) = await JourneyPages.CreateLinkAsync(server, "video");
        IBrowserContext refusing = await journey.NewPhoneAsync(51.5, -0.1, ["geolocation"]);
        await refusing.AddInitScriptAsync(RefuseCamera);
        IPage refused = await refusing.NewPageAsync();
        JourneyPages.Watch(refused);
        await refused.GotoAsync(refusedLink);
        await refused.ClickAsync("#start");
        await JourneyPages.UntilAsync(refused, "!document.getElementById('offer').hidden", "the page to say the camera was refused");
        await CheckBothLanguagesAsync(axe, refused, "caller camera refused");

        // Start fails: the link was spent elsewhere between opening the page and pressing Start.
        (_, string spentLink) = await JourneyPages.CreateLinkAsync(server, "video");
        IBrowserContext phone = await journey.NewPhoneAsync(51.5, -0.1, ["camera", "geolocation"]);
        IPage late = await phone.NewPageAsync();
        JourneyPages.Watch(late);
        await late.GotoAsync(spentLink);
        using (HttpResponseMessage started = await server.Http.PostAsync(new Uri(spentLink + "/start"), null))
        {
            Assert.True(started.IsSuccessStatusCode);
        }

        await late.ClickAsync("#start");
        await JourneyPages.UntilAsync(late, "window.relayCaller.phase === 'problem'", "the page to say sharing could not start");
        await CheckBothLanguagesAsync(axe, late, "caller start refused");

        // The server's own pages for a link that cannot be used.
        IPage plain = await phone.NewPageAsync();
        await plain.GotoAsync(spentLink);
        await axe.CheckAsync(plain, "link already used page");
        await plain.GotoAsync(new Uri(server.BaseAddress, "/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").ToString());
        await axe.CheckAsync(plain, "link not recognised page");
        axe.AssertClean();
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheSignInPageMeetsWcag22AaBlankAndAfterAFailedSignIn()
    {
        var axe = new AxeCheck();
        IBrowserContext context = await chromium.Browser.NewContextAsync();
        try
        {
            IPage page = await context.NewPageAsync();
            JourneyPages.Watch(page);
            await page.GotoAsync(new Uri(relay.Server.BaseAddress, "/login").ToString());
            await axe.CheckAsync(page, "sign-in");
            await page.FillAsync("#username", "nobody");
            await page.FillAsync("#password", "not the password");
            await page.ClickAsync("button[type=submit]");
            await page.WaitForFunctionAsync("() => document.getElementById('error').textContent.length > 0");
            await axe.CheckAsync(page, "sign-in failed");

            // Zoomed to 200%: the form still fits the width and every field can be reached.
            await page.SetViewportSizeAsync(640, 480);
            await page.EvaluateAsync("() => { document.documentElement.style.fontSize = '200%'; }");
            await AssertControlsOnScreenAsync(page, ["#username", "#password", "button[type=submit]"], "sign-in at 200%");
        }
        finally
        {
            await context.CloseAsync();
        }

        axe.AssertClean();
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheKeyboardAloneStartsSharingReachesStopAndChatAndText200PercentKeepsThemOnScreen()
    {
        RelayServer server = relay.Server;
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.5, -0.1, ["camera", "geolocation"]);
        IPage caller = await JourneyPages.OpenCallerAsync(phone, link);

        List<string> consentOrder = await TabOrderAsync(caller);
        Assert.Equal(["language", "start"], consentOrder);

        // Tab to Start and press Enter: no pointer needed.
        await TabToAsync(caller, "start");
        await caller.Keyboard.PressAsync("Enter");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.connected === true", "the caller to go live from the keyboard");

        List<string> liveOrder = await TabOrderAsync(caller);
        int stop = liveOrder.IndexOf("stop");
        int reply = liveOrder.IndexOf("reply-text");
        int send = liveOrder.IndexOf("reply-send");
        Assert.True(stop >= 0 && reply > stop && send > reply, $"The keyboard reaches Stop, then the reply box, then Send; the tab order is {string.Join(", ", liveOrder)}.");

        // Typing a reply and pressing Send from the keyboard works as with a pointer.
        IPage player = await journey.OpenPlayerAsync(server, id);
        await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'live'", "the player to show the caller live");
        await TabToAsync(caller, "reply-text");
        await caller.Keyboard.TypeAsync("At the back door");
        await caller.Keyboard.PressAsync("Tab");
        await caller.Keyboard.PressAsync("Enter");
        await JourneyPages.UntilAsync(player, "document.getElementById('messages').innerText.includes('At the back door')", "the keyboard's reply in the player");

        // Text at 200% (the phone's largest text setting does the same): Stop, the reply and Send stay on screen, nothing scrolls sideways.
        await caller.EvaluateAsync("() => { document.documentElement.style.fontSize = '200%'; }");
        await AssertControlsOnScreenAsync(caller, ["#language", "#stop", "#reply-text", "#reply-send"], "the caller's page with text at 200%");

        // The player zoomed to 200% on a 1200 px screen is 600 CSS pixels wide.
        await player.SetViewportSizeAsync(600, 450);
        await AssertControlsOnScreenAsync(player, ["#keyframe", "#snapshot", "#chat-text", "#chat-form button"], "the player at 200% zoom");

        // And in the player the keyboard reaches every control.
        List<string> playerOrder = await TabOrderAsync(player);
        foreach (string control in (string[])["keyframe", "snapshot", "chat-text", "chat-send"])
        {
            Assert.Contains(control, playerOrder);
        }

        await TabToAsync(caller, "stop");
        await caller.Keyboard.PressAsync("Enter");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.phase === 'finished'", "Stop pressed from the keyboard to end the sharing");
    }

    private static async Task CheckBothLanguagesAsync(AxeCheck axe, IPage page, string state)
    {
        await axe.CheckAsync(page, state + " (en)");
        await page.ClickAsync("#language");
        Assert.Equal("cy", await page.GetAttributeAsync("html", "lang"));
        await axe.CheckAsync(page, state + " (cy)");
        await page.ClickAsync("#language");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
    }

    /// <summary>The ids (or tag names) the Tab key visits from the top of the page, once round.</summary>
    private static async Task<List<string>> TabOrderAsync(IPage page)
    {
        // Clicking the page's top-left corner (no control there) puts the keyboard's starting point at the top, as on a fresh load.
        await page.EvaluateAsync("() => { if (document.activeElement) document.activeElement.blur(); }");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.Mouse.ClickAsync(1, 1);
        var order = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            string focused = await page.EvaluateAsync<string>("() => { const e = document.activeElement; return !e || e === document.body ? '' : (e.id || e.tagName.toLowerCase()); }");
            if (focused.Length == 0 || (order.Count > 0 && focused == order[0]))
            {
                break;
            }

            order.Add(focused);
        }

        return order;
    }

    private static async Task TabToAsync(IPage page, string id)
    {
        for (int i = 0; i < 40; i++)
        {
            if (await page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''") == id)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"The Tab key never reached #{id}.");
    }

    private static async Task AssertControlsOnScreenAsync(IPage page, string[] selectors, string what)
    {
        int width = await page.EvaluateAsync<int>("() => document.documentElement.clientWidth");
        int scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (scrollWidth > width + 1)
        {
            string wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right + window.scrollX > document.documentElement.clientWidth + 1).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right + window.scrollX)).slice(0, 10).join(', ')");
            Assert.Fail($"{what}: the page scrolls sideways ({scrollWidth} px of content in {width} px); too wide: {wide}.");
        }

        foreach (string selector in selectors)
        {
            ILocator control = page.Locator(selector);
            Assert.True(await control.IsVisibleAsync(), $"{what}: {selector} is not visible.");
            await control.ScrollIntoViewIfNeededAsync();
            LocatorBoundingBoxResult? box = await control.BoundingBoxAsync();
            Assert.True(box is not null && box.Width >= 24 && box.Height >= 24 && box.X >= 0 && box.X + box.Width <= width + 1,
                $"{what}: {selector} is cut off or too small to use ({box?.X}, {box?.Width} x {box?.Height} in {width} px).");
        }
    }
}
