using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The engineer's Nodes and Plugins pages in Chromium against the real relay: the last hour's charts (accessible SVG
/// with a table alternative) from the relay's own sampler, and the plugins' on-demand health check and test SMS,
/// each answered in words and audited.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalNodesTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;

    private static readonly string[] s_charts = ["streams", "viewers", "packets-in", "packets-out", "loss", "nacks", "cpu", "memory"];

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnEngineerSeesTheLastHourAsChartsWithWordsAndATable()
    {
        await relay.EnsureUsersAsync(chromium);
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Engineer, Password);
        await PortalBrowser.OpenAsync(page, "/portal/nodes");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("the relay runs as a single node");

        foreach (string chart in s_charts)
        {
            ILocator figure = page.Locator($"#chart-{chart}");
            ILocator image = figure.GetByRole(AriaRole.Img);
            await Assertions.Expect(image).ToHaveCountAsync(1);
            await Assertions.Expect(image).ToHaveAccessibleNameAsync(await figure.Locator("figcaption").InnerTextAsync());
            await Assertions.Expect(image).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex(@"^From \d\d:\d\d to \d\d:\d\d UTC: now .+, lowest .+, highest .+ \(\d+ samples?\)\.$"));
        }

        // The sampler took a reading when the relay started, so there is at least one row; memory is never zero.
        await page.GetByText("The same hour as a table").ClickAsync();
        ILocator rows = page.Locator("#history-table tbody tr");
        Assert.True(await rows.CountAsync() >= 1, "The table alternative has no samples.");
        Assert.Matches(@"^\d\d:\d\d:\d\d$", await rows.First.Locator("th").InnerTextAsync());
        Assert.Matches(@"^[1-9]\d* MiB$", await rows.First.Locator("td").Last.InnerTextAsync());
        await PortalBrowser.ScreenshotAsync(page, "nodes-charts");
        await axe.CheckAsync(page, "/portal/nodes with the table open");
        axe.AssertClean();
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnEngineerChecksThePluginsInUseAndSendsATestSmsAndBothAreAudited()
    {
        await relay.EnsureUsersAsync(chromium);
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Engineer, Password);
        await PortalBrowser.OpenAsync(page, "/portal/plugins");

        ILocator outbox = page.Locator("#plugins tr[data-plugin='outbox']");
        await outbox.GetByRole(AriaRole.Button, new() { Name = "Check health now of outbox" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^Healthy at \d\d:\d\d:\d\d UTC: "));

        ILocator store = page.Locator("#plugins tr[data-plugin='filesystem']");
        await store.GetByRole(AriaRole.Button, new() { Name = "Check health now of filesystem" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync("Healthy at");

        // A plugin not in use has nothing to check or send with.
        ILocator unused = page.Locator("#plugins tr[data-plugin='twilio']");
        if (await unused.CountAsync() == 1)
        {
            await Assertions.Expect(unused.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
            await Assertions.Expect(unused).ToContainTextAsync("Not in use");
        }

        await outbox.GetByLabel("Send a test SMS to").FillAsync("07700 900");
        await outbox.GetByRole(AriaRole.Button, new() { Name = "Send test SMS through outbox" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync("is not a mobile number in E.164 form");
        await Assertions.Expect(page.Locator("#plugin-message")).ToHaveClassAsync("bad");

        await outbox.GetByLabel("Send a test SMS to").FillAsync("+447700900456");
        await outbox.GetByRole(AriaRole.Button, new() { Name = "Send test SMS through outbox" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^Sent: outbox accepted the test message to \+44\*+456 "));
        await PortalBrowser.ScreenshotAsync(page, "plugins-test-send");
        await axe.CheckAsync(page, "/portal/plugins after a test send");
        Assert.Contains(relay.Server.ReadOutboxLines(), static line =>
        {
            using var entry = JsonDocument.Parse(line);
            return entry.RootElement.GetProperty("to").GetString() == "+447700900456"
                && entry.RootElement.GetProperty("body").GetString()!.Contains("Relay test message", StringComparison.Ordinal);
        });

        IPage audit = await portal.SignInAsync(PortalRelayFixture.EvidenceManager, Password);
        await PortalBrowser.OpenAsync(audit, "/portal/audit");
        await audit.GetByLabel("Subject (session, user)").FillAsync("plugin:outbox");
        await audit.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator send = audit.Locator("#audit-rows tbody tr", new() { Has = audit.Locator("td:nth-child(4)", new() { HasTextString = "plugin-test-send" }) });
        await Assertions.Expect(send.Locator("td:nth-child(3)").First).ToHaveTextAsync(PortalRelayFixture.Engineer);
        await Assertions.Expect(send.First).ToContainTextAsync("+44*******456");
        ILocator check = audit.Locator("#audit-rows tbody tr", new() { Has = audit.Locator("td:nth-child(4)", new() { HasTextString = "plugin-health-check" }) });
        await Assertions.Expect(check.Locator("td:nth-child(3)").First).ToHaveTextAsync(PortalRelayFixture.Engineer);
        axe.AssertClean();
    }
}
