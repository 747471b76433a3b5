using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The admin portal in Chromium against the real relay: each role sees and may open only its pages
/// (a direct URL to another is refused by the server), and each page's main action works end to end.
/// Every page is saved as a screenshot under <c>artifacts/screenshots/portal-*.png</c>.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;

    public static TheoryData<string, string[]> NavigationByUser => new()
    {
        { PortalRelayFixture.Officer, ["Overview", "Live", "New session"] },
        { PortalRelayFixture.EvidenceManager, ["Overview", "Evidence", "Audit"] },
        { PortalRelayFixture.Engineer, ["Overview", "Users and roles", "Plugins", "Nodes and metrics", "Tuning"] },
        { PortalRelayFixture.Admin, ["Overview", "Live", "New session", "Audit", "Users and roles", "Plugins", "Nodes and metrics", "Tuning"] },
    };

    public static TheoryData<string, string> ForbiddenPages => new()
    {
        { PortalRelayFixture.Officer, "/portal/users" },
        { PortalRelayFixture.Officer, "/portal/audit" },
        { PortalRelayFixture.Officer, "/portal/plugins" },
        { PortalRelayFixture.Officer, "/portal/nodes" },
        { PortalRelayFixture.EvidenceManager, "/portal/live" },
        { PortalRelayFixture.EvidenceManager, "/portal/sessions/new" },
        { PortalRelayFixture.EvidenceManager, "/portal/users" },
        { PortalRelayFixture.Engineer, "/portal/live" },
        { PortalRelayFixture.Engineer, "/portal/sessions/new" },
        { PortalRelayFixture.Engineer, "/portal/audit" },
        { PortalRelayFixture.Officer, "/portal/evidence" },
        { PortalRelayFixture.Engineer, "/portal/evidence" },
        { PortalRelayFixture.Admin, "/portal/evidence" },
        { PortalRelayFixture.Officer, "/portal/evidence/0123456789abcdef0123456789abcdef" },
    };

    [Theory(Timeout = TestTimeouts.Test)]
    [MemberData(nameof(NavigationByUser))]
    public async Task EachRoleSeesOnlyThePagesItMayUse(string user, string[] expected)
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(user, Password);
        Assert.Equal(expected, await PortalBrowser.NavigationAsync(page));
        await PortalBrowser.ScreenshotAsync(page, "overview-" + user);
    }

    [Theory(Timeout = TestTimeouts.Test)]
    [MemberData(nameof(ForbiddenPages))]
    public async Task ADirectUrlToAPageTheRoleMayNotUseIsRefusedByTheServer(string user, string path)
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(user, Password);
        IResponse? response = await page.GotoAsync(path);
        Assert.Equal(403, response?.Status);
        Assert.Contains("Not allowed", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task SomeoneNotSignedInIsSentToSignIn()
    {
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.NewPageAsync();
        await page.GotoAsync("/portal/users");
        Assert.EndsWith("/login?returnUrl=%2Fportal%2Fusers", page.Url, StringComparison.Ordinal);
        await PortalBrowser.ScreenshotAsync(page, "sign-in");
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnOfficersNewSessionAppearsInLiveWithoutAReload()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage live = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await PortalBrowser.OpenAsync(live, "/portal/live");
        string incident = "PORTAL-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        IPage form = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await PortalBrowser.OpenAsync(form, "/portal/sessions/new");
        await form.GetByLabel("Incident reference").FillAsync(incident);
        await form.GetByLabel("Caller's mobile number").FillAsync("+447700900123");
        await form.GetByLabel("Location only").CheckAsync();
        await form.GetByLabel("Retention category").SelectOptionAsync("not-needed");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create and send link" }).ClickAsync();
        await Assertions.Expect(form.Locator("#created")).ToBeVisibleAsync();
        string id = await form.InnerTextAsync("#created-id");
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Contains("/c/", await form.InnerTextAsync("#created-link"), StringComparison.Ordinal);
        Assert.Equal(relay.Server.ReadLinkFromOutbox(id), await form.InnerTextAsync("#created-link"));
        await Assertions.Expect(form.Locator("#sms-status")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("queued|sent|delivered"));
        await form.GetByRole(AriaRole.Button, new() { Name = "Check SMS delivery" }).ClickAsync();
        await Assertions.Expect(form.Locator("#sms-status")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("queued|sent|delivered"));
        await PortalBrowser.ScreenshotAsync(form, "new-session");

        // The Live page was open before the session existed; its server-side timer brings the row in.
        ILocator row = live.Locator($"#live-sessions tr[data-session='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("th")).ToHaveTextAsync(incident);
        await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync("waiting");
        Assert.Equal($"/player/{id}", await row.Locator("a[target=_blank]").GetAttributeAsync("href"));
        await PortalBrowser.ScreenshotAsync(live, "live");
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ASupervisorEndsASessionAndItLeavesLiveWhileAnOfficerHasNoEndButton()
    {
        await relay.EnsureUsersAsync(chromium);
        RelaySession session = await PortalSessionTests.CreateSharedWithAsync(relay.Server, PortalRelayFixture.Officer);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage officer = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await PortalBrowser.OpenAsync(officer, "/portal/live");
        ILocator officerRow = officer.Locator($"#live-sessions tr[data-session='{session.Id}']");
        await Assertions.Expect(officerRow).ToBeVisibleAsync();
        await Assertions.Expect(officerRow.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        IPage supervisor = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        await PortalBrowser.OpenAsync(supervisor, "/portal/live");
        ILocator row = supervisor.Locator($"#live-sessions tr[data-session='{session.Id}']");
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^End session") }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#live-message")).ToContainTextAsync("Ended the session");
        await Assertions.Expect(row).ToHaveCountAsync(0);

        // The officer's open page loses the row by itself, and the end is audited with the supervisor's name.
        await Assertions.Expect(officerRow).ToHaveCountAsync(0);
        await PortalBrowser.OpenAsync(supervisor, "/portal/audit");
        await supervisor.GetByLabel("Subject (session, user)").FillAsync(session.Id);
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator ended = supervisor.Locator("#audit-rows tbody tr", new() { Has = supervisor.Locator("td:nth-child(4)", new() { HasTextString = "session-ended" }) });
        await Assertions.Expect(ended.Locator("td:nth-child(3)")).ToHaveTextAsync(PortalRelayFixture.Admin);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ANewSessionWithBadFieldsIsRefusedWithTheReasons()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage form = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await PortalBrowser.OpenAsync(form, "/portal/sessions/new");
        await form.GetByLabel("Caller's mobile number").FillAsync("not a number");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create and send link" }).ClickAsync();
        ILocator problems = form.Locator("#problems[role=alert]");
        await Assertions.Expect(problems).ToBeVisibleAsync();
        Assert.True(await problems.Locator("li").CountAsync() >= 2, "The incident and the number are both wrong.");
        await Assertions.Expect(form.Locator("#created")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnEngineerManagesAUserAndAnEvidenceManagerFindsEveryChangeInTheVerifiedAuditLog()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage users = await portal.SignInAsync(PortalRelayFixture.Engineer, Password);
        await PortalBrowser.OpenAsync(users, "/portal/users");
        string name = "temp-" + Guid.NewGuid().ToString("N")[..6];
        await PortalBrowser.CreateUserAsync(users, name, "officer", Password);

        ILocator row = users.Locator($"#users tr[data-user='{name}']");
        await row.GetByLabel($"New role for {name}").SelectOptionAsync("evidence-manager");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Set role of {name}" }).ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("evidence-manager");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Disable {name}" }).ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("disabled");
        await PortalBrowser.ScreenshotAsync(users, "users");

        // Disabled: the new user cannot sign in.
        IPage refused = await portal.NewPageAsync();
        await refused.GotoAsync("/login");
        await refused.GetByLabel("User name").FillAsync(name);
        await refused.GetByLabel("Password").FillAsync(Password);
        await refused.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(refused.Locator("#error")).ToContainTextAsync("disabled");

        IPage audit = await portal.SignInAsync(PortalRelayFixture.EvidenceManager, Password);
        await PortalBrowser.OpenAsync(audit, "/portal/audit");
        await audit.GetByLabel("Subject (session, user)").FillAsync(name);
        await audit.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator actions = audit.Locator("#audit-rows tbody tr td:nth-child(4)");
        await Assertions.Expect(actions).ToHaveTextAsync(["user-created", "role-change", "user-disabled", "sign-in-failed"]);
        await Assertions.Expect(audit.Locator("#audit-rows tbody tr td:nth-child(3)").First).ToHaveTextAsync(PortalRelayFixture.Engineer);

        await audit.GetByRole(AriaRole.Button, new() { Name = "Verify the whole chain" }).ClickAsync();
        await Assertions.Expect(audit.Locator("#verify-result")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^Intact: all \d+ rows verify\.$"));
        await PortalBrowser.ScreenshotAsync(audit, "audit");
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnEngineerSeesThePluginsWithoutSecretValuesAndTheNodesCounters()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Engineer, Password);
        await PortalBrowser.OpenAsync(page, "/portal/plugins");
        ILocator outbox = page.Locator("#plugins tbody tr", new() { Has = page.Locator("th", new() { HasTextString = "outbox" }) });
        await Assertions.Expect(outbox.Locator("td").Nth(1)).ToContainTextAsync("ok");
        Assert.Contains("(secret, write-only)", await page.InnerTextAsync("#plugins"), StringComparison.Ordinal);
        await PortalBrowser.ScreenshotAsync(page, "plugins");

        await PortalBrowser.OpenAsync(page, "/portal/nodes");
        await Assertions.Expect(page.Locator("#node tbody td").First).ToHaveTextAsync("up");
        Assert.Matches(@"^\d+$", await page.InnerTextAsync("#streams"));
        await PortalBrowser.ScreenshotAsync(page, "nodes");
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task SigningOutEndsTheSignInAndIsAudited()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Officer, Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/login");
        await page.GotoAsync("/portal/live");
        Assert.Contains("/login?returnUrl=", page.Url, StringComparison.Ordinal);
    }
}
