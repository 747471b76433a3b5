using System.Net.Http.Headers;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// Withdrawing access at once, against the real relay and Chromium: an officer watching a shared session in the
/// player is cut off the moment a supervisor stops sharing it (the relay drops their video viewer and closes their
/// location and chat socket; the page says access was withdrawn), while a system watching the same stream goes on.
/// And a person whose sign-in name is an API key's name is not the creator of that key's sessions.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalUnshareTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Password = PortalRelayFixture.Password;
    private const string Officer = "officer1";

    /// <summary>The name of the API key <see cref="RelayServer"/> configures: a person of the same name is made here.</summary>
    private const string KeyName = "end-to-end";

    private static int s_relays;
    private RelayServer? _relay;

    public async Task InitializeAsync()
    {
        _relay = await RelayServer.StartAsync(
            "portal-unshare-" + Interlocked.Increment(ref s_relays),
            "--RELAY_ADMIN_USER=" + PortalRelayFixture.Admin,
            "--RELAY_ADMIN_PASSWORD=" + Password);
        await using var portal = new PortalBrowser(chromium, _relay);
        IPage admin = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        // A fresh page for each: on a loaded machine the form's re-render after one creation can lag the next fill.
        foreach (string name in (string[])[Officer, KeyName])
        {
            await PortalBrowser.OpenAsync(admin, "/portal/users");
            await PortalBrowser.CreateUserAsync(admin, name, "officer", Password);
        }
    }

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task AnOfficerWatchingInThePlayerIsCutOffWhenTheSessionIsUnshared_WhileASystemViewerGoesOn()
    {
        RelayServer server = _relay!;
        RelaySession session = await PortalSessionTests.CreateSharedWithAsync(server, Officer);
        await using var pages = new TestPages(chromium);
        await pages.PublishAsync(server, session, "vp8");
        IPage system = await pages.ViewAsync(server, session);
        await using var portal = new PortalBrowser(chromium, server);

        IPage officer = await portal.SignInAsync(Officer, Password);
        IResponse? opened = await officer.GotoAsync($"/player/{session.Id}");
        Assert.Equal(200, opened?.Status);
        await officer.WaitForFunctionAsync("() => window.relayPlayer && window.relayPlayer.state === 'live'");
        await officer.WaitForFunctionAsync("async () => (await window.relayPlayer.stats()).framesDecoded >= 10", null, new PageWaitForFunctionOptions { PollingInterval = 200 });
        await server.WaitForViewersAsync(session.Id, 2);

        // The supervisor stops sharing it with their own sign-in. (Through the API rather than the session page:
        // that page embeds the supervisor's own player, whose viewers would blur the count below.)
        IPage supervisor = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        IAPIResponse unshared = await supervisor.APIRequest.DeleteAsync($"/api/sessions/{session.Id}/shares/{Officer}?reason=Vehicle%20stood%20down");
        Assert.True(unshared.Status == 204, await unshared.TextAsync());

        // The page says so, without the officer doing anything, and its video stops.
        await officer.WaitForFunctionAsync("() => window.relayPlayer.state === 'withdrawn'", null, new PageWaitForFunctionOptions { Timeout = 5000 });
        await Assertions.Expect(officer.Locator("#state")).ToHaveTextAsync("Access withdrawn");
        await Assertions.Expect(officer.Locator("#video-note")).ToContainTextAsync("Your access to this session was withdrawn");
        await Assertions.Expect(officer.Locator("#chat-text")).ToBeDisabledAsync();
        int frames = await officer.EvaluateAsync<int>("() => window.relayPlayer.framesDecoded");
        await PortalBrowser.ScreenshotAsync(officer, "player-withdrawn");
        var axe = new AxeCheck();
        await axe.CheckAsync(officer, "/player/{id} (access withdrawn)");
        axe.AssertClean();

        // The relay itself stopped sending to the officer: only the system's viewer is left, and it keeps decoding.
        await server.WaitForViewersAsync(session.Id, 1);
        ViewerStats before = await TestPages.StatsAsync(system);
        await TestPages.WaitForStatsAsync(system, s => s.FramesDecoded >= before.FramesDecoded + 20, TimeSpan.FromSeconds(15), "the system viewer still decoding after the unshare");
        Assert.Equal(frames, await officer.EvaluateAsync<int>("async () => (await window.relayPlayer.stats()).framesDecoded"));
        Assert.Equal("withdrawn", await officer.EvaluateAsync<string>("() => window.relayPlayer.state"));

        // Opening it again is refused.
        IResponse? again = await officer.GotoAsync($"/player/{session.Id}");
        Assert.Equal(403, again?.Status);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task APersonNamedLikeAnApiKeyIsNotTheCreatorOfThatKeysSessions()
    {
        RelayServer server = _relay!;
        RelaySession byKey = await server.CreateSessionAsync();
        await using var portal = new PortalBrowser(chromium, server);
        IPage namesake = await portal.SignInAsync(KeyName, Password);

        // Before the creator's kind was kept, the names matched and this person saw, watched and shared the key's session.
        Assert.Equal(403, (await namesake.APIRequest.GetAsync($"/api/sessions/{byKey.Id}")).Status);
        IResponse? player = await namesake.GotoAsync($"/player/{byKey.Id}");
        Assert.Equal(403, player?.Status);
        IAPIResponse share = await namesake.APIRequest.PostAsync($"/api/sessions/{byKey.Id}/shares", new() { DataObject = new { officer = Officer, reason = "not mine to share" } });
        Assert.Equal(403, share.Status);
        await PortalBrowser.OpenAsync(namesake, "/portal/live");
        await Assertions.Expect(namesake.Locator($"#live-sessions tr[data-session='{byKey.Id}']")).ToHaveCountAsync(0);

        // The key itself still shares its session, even with the person who has its name.
        RelaySession shared = await PortalSessionTests.CreateSharedWithAsync(server, KeyName);
        Assert.Equal(200, (await namesake.APIRequest.GetAsync($"/api/sessions/{shared.Id}")).Status);

        // And a session the person creates is theirs, not the key's to share.
        IAPIResponse created = await namesake.APIRequest.PostAsync("/api/sessions", new() { DataObject = new { incident = "E2E-NAMESAKE", phone = "+447700900123", mode = "video", retention = "not-needed" } });
        Assert.True(created.Status == 201, await created.TextAsync());
        string mine = (await created.JsonAsync())!.Value.GetProperty("id").GetString()!;
        using var keyShares = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{mine}/shares")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { officer = Officer, reason = "the key did not create it" }),
        };
        keyShares.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        using HttpResponseMessage refused = await server.Http.SendAsync(keyShares);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        IAPIResponse sharedByPerson = await namesake.APIRequest.PostAsync($"/api/sessions/{mine}/shares", new() { DataObject = new { officer = Officer, reason = "my own session" } });
        Assert.True(sharedByPerson.Ok, await sharedByPerson.TextAsync());
    }

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }
}
