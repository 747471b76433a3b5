using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// Single sign-on through a reverse proxy (<c>Relay:Portal:TrustedProxy</c>): the browser's requests carry
/// the user and role headers a proxy would set. The relay believes them only from a configured proxy
/// address, and audits the sign-in.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class TrustedProxyTests(ChromiumFixture chromium)
{
    [Fact(Timeout = TestTimeouts.Test)]
    public async Task APersonNamedByATrustedProxyUsesThePortalWithTheRolesItGivesAndTheSignInIsAudited()
    {
        await using RelayServer server = await RelayServer.StartAsync(
            "portal-proxy",
            "--Relay:Portal:TrustedProxy:Enabled=true",
            "--Relay:Portal:TrustedProxy:Proxies:0=127.0.0.1");
        IBrowserContext context = await NewContextAsync(server, "sso-auditor", "evidence-manager");
        try
        {
            IPage page = await context.NewPageAsync();
            await PortalBrowser.OpenAsync(page, "/portal/audit");
            Assert.Equal(["Overview", "Evidence", "Audit"], await PortalBrowser.NavigationAsync(page));
            Assert.Equal(403, (await page.GotoAsync("/portal/live"))?.Status);

            await PortalBrowser.OpenAsync(page, "/portal/audit");
            await page.GetByLabel("Actor").FillAsync("sso-auditor");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
            ILocator row = page.Locator("#audit-rows tbody tr").First;
            await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("sign-in");
            await Assertions.Expect(row.Locator("td").Nth(5)).ToContainTextAsync("via=proxy");
            await PortalBrowser.ScreenshotAsync(page, "audit-via-proxy");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TheHeadersAreIgnoredFromAnAddressThatIsNotATrustedProxy()
    {
        await using RelayServer server = await RelayServer.StartAsync(
            "portal-proxy-untrusted",
            "--Relay:Portal:TrustedProxy:Enabled=true",
            "--Relay:Portal:TrustedProxy:Proxies:0=192.0.2.1");
        IBrowserContext context = await NewContextAsync(server, "mallory", "engineer");
        try
        {
            IPage page = await context.NewPageAsync();
            await page.GotoAsync("/portal/users");
            Assert.Contains("/login?returnUrl=", page.Url, StringComparison.Ordinal);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private Task<IBrowserContext> NewContextAsync(RelayServer server, string user, string roles) =>
        chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 800 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-User"] = user, ["X-Forwarded-Roles"] = roles },
        });
}
