using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>Every portal page, opened by a role that may use it, has no WCAG 2.2 AA violation axe-core can find.</summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalAccessibilityTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    [Fact(Timeout = TestTimeouts.Test)]
    public async Task EveryPortalPageMeetsWcag22Aa()
    {
        await relay.EnsureUsersAsync(chromium);
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage admin = await portal.SignInAsync(PortalRelayFixture.Admin, PortalRelayFixture.Password);
        foreach (string path in (string[])["/portal", "/portal/live", "/portal/sessions/new", "/portal/audit", "/portal/users", "/portal/plugins", "/portal/nodes"])
        {
            await PortalBrowser.OpenAsync(admin, path);
            await axe.CheckAsync(admin, path);
        }

        IPage manager = await portal.SignInAsync(PortalRelayFixture.EvidenceManager, PortalRelayFixture.Password);
        await PortalBrowser.OpenAsync(manager, "/portal/evidence");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(manager.Locator("#evidence-items")).ToBeVisibleAsync();
        await axe.CheckAsync(manager, "/portal/evidence (all items)");
        axe.AssertClean();
    }
}
