using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// Live sessions in the portal with sharing: an officer does not see a session another created until a
/// supervisor shares it from the session's page; then it appears on their Live page and map without a
/// reload and they watch its video in the embedded player; unsharing takes it away again.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalSessionTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ASupervisorSharesASessionAndTheOfficerThenSeesItOnTheMapAndWatchesItsVideo()
    {
        await relay.EnsureUsersAsync(chromium);
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);
        await pages.PublishAsync(server, session, "vp8");
        using var caller = new ClientWebSocket();
        caller.Options.SetRequestHeader("Authorization", "Bearer " + session.CallerKey);
        await caller.ConnectAsync(new Uri(server.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws/caller/" + session.Id), CancellationToken.None);
        await caller.SendAsync(
            JsonSerializer.SerializeToUtf8Bytes(new { type = "position", lat = 51.50350, lon = -0.12700, accuracy = 6, time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }),
            WebSocketMessageType.Text,
            endOfMessage: true,
            CancellationToken.None);
        await using var portal = new PortalBrowser(chromium, server);

        // Not shared yet: the officer's Live page does not list it, and the server refuses its page and its player.
        IPage officerLive = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await PortalBrowser.OpenAsync(officerLive, "/portal/live");
        IPage officerDetail = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await PortalBrowser.OpenAsync(officerDetail, $"/portal/sessions/{session.Id}");
        await Assertions.Expect(officerDetail.Locator("#session-refusal")).ToContainTextAsync("not shared with you");
        IResponse? player = await officerDetail.GotoAsync($"/player/{session.Id}");
        Assert.Equal(403, player!.Status);
        await Assertions.Expect(officerLive.Locator($"#live-sessions tr[data-session='{session.Id}']")).ToHaveCountAsync(0);

        // The supervisor sees it in the table and on the map, opens it and shares it with the officer.
        IPage supervisor = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        await PortalBrowser.OpenAsync(supervisor, "/portal/live");
        ILocator row = supervisor.Locator($"#live-sessions tr[data-session='{session.Id}']");
        await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync("live");
        await Assertions.Expect(row).ToContainTextAsync("51.50350, -0.12700");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToContainTextAsync("bit/s");
        await Assertions.Expect(supervisor.Locator("#live-map")).ToHaveAttributeAsync("data-sessions", new System.Text.RegularExpressions.Regex(session.Id));
        await Assertions.Expect(supervisor.Locator("#live-map .leaflet-marker-icon")).ToHaveCountAsync(1);
        await PortalBrowser.ScreenshotAsync(supervisor, "live-map");
        await row.Locator("a.detail").ClickAsync();
        await supervisor.WaitForURLAsync($"**/portal/sessions/{session.Id}");
        await Assertions.Expect(supervisor.Locator("#no-shares")).ToBeVisibleAsync();
        await supervisor.GetByLabel("Officer", new() { Exact = true }).SelectOptionAsync(PortalRelayFixture.Officer);
        await supervisor.GetByLabel("Reason", new() { Exact = true }).FillAsync("ARV 4 attending");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#share-message")).ToContainTextAsync($"with {PortalRelayFixture.Officer}");
        await Assertions.Expect(supervisor.Locator($"#shares tr[data-officer='{PortalRelayFixture.Officer}']")).ToContainTextAsync("ARV 4 attending");
        await Assertions.Expect(supervisor.Locator("#session-audit tr[data-action='session-shared']")).ToContainTextAsync("ARV 4 attending");
        await Assertions.Expect(supervisor.Locator("#trail tbody tr")).ToHaveCountAsync(1);

        // The officer's Live page brings the session in without a reload, and their session page plays its video.
        await Assertions.Expect(officerLive.Locator($"#live-sessions tr[data-session='{session.Id}']")).ToBeVisibleAsync();
        await Assertions.Expect(officerLive.Locator("#live-map")).ToHaveAttributeAsync("data-markers", "1");
        await PortalBrowser.OpenAsync(officerDetail, $"/portal/sessions/{session.Id}");
        await Assertions.Expect(officerDetail.Locator("#share-not-allowed")).ToBeVisibleAsync();
        IFrame frame = (await (await officerDetail.Locator("#session-player").ElementHandleAsync()).ContentFrameAsync())!;
        await frame.WaitForFunctionAsync("() => window.relayPlayer && window.relayPlayer.state === 'live'");
        await frame.WaitForFunctionAsync("async () => (await window.relayPlayer.stats()).framesDecoded >= 10", null, new FrameWaitForFunctionOptions { PollingInterval = 200 });
        await PortalBrowser.ScreenshotAsync(officerDetail, "session-detail");
        await Assertions.Expect(officerDetail.Locator("#session-audit tr[data-action='view']")).Not.ToHaveCountAsync(0);

        // Unsharing (with its reason) takes it away from the officer's open pages.
        await supervisor.GetByLabel("Reason", new() { Exact = true }).FillAsync("ARV 4 stood down");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = $"Stop sharing with {PortalRelayFixture.Officer}" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#no-shares")).ToBeVisibleAsync();
        await Assertions.Expect(supervisor.Locator("#session-audit tr[data-action='session-unshared']")).ToContainTextAsync("ARV 4 stood down");
        await Assertions.Expect(officerDetail.Locator("#session-refusal")).ToContainTextAsync("not shared with you");
        await Assertions.Expect(officerLive.Locator($"#live-sessions tr[data-session='{session.Id}']")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// A video session created with the relay's API key and shared by that key (its creator) with
    /// <paramref name="officer"/>, who may then see it: officers see only what they created or is shared with them.
    /// </summary>
    public static async Task<RelaySession> CreateSharedWithAsync(RelayServer server, string officer)
    {
        ArgumentNullException.ThrowIfNull(server);
        RelaySession session = await server.CreateSessionAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session.Id}/shares")
        {
            Content = JsonContent.Create(new { officer, reason = "end-to-end test" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"Sharing the session answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return session;
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheLiveAndSessionPagesMeetWcag22Aa()
    {
        await relay.EnsureUsersAsync(chromium);
        RelaySession session = await relay.Server.CreateSessionAsync();
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage supervisor = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        await PortalBrowser.OpenAsync(supervisor, "/portal/live");
        await Assertions.Expect(supervisor.Locator($"#live-sessions tr[data-session='{session.Id}']")).ToBeVisibleAsync();
        await axe.CheckAsync(supervisor, "/portal/live");
        await PortalBrowser.OpenAsync(supervisor, $"/portal/sessions/{session.Id}");
        await Assertions.Expect(supervisor.Locator("#share-form")).ToBeVisibleAsync();
        await axe.CheckAsync(supervisor, "/portal/sessions/{id}");
        axe.AssertClean();
    }
}
