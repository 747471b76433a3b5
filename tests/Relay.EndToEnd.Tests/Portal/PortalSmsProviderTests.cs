using System.Text;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The Plugins page against a paid SMS provider's plugin (Twilio), with a loopback HTTP server standing in for
/// Twilio's API: the on-demand health check reports the provider's own answer in words, a test send goes to the
/// provider with the configured credentials, and the secret setting's value never reaches the page.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalSmsProviderTests(ChromiumFixture chromium) : IAsyncLifetime, IDisposable
{
    private const string AccountSid = "AC00000000000000000000000000000123";
    private const string AuthToken = "stub-auth-token-never-shown";

    private readonly TwilioStub _twilio = new(AccountSid, "suspended");
    private RelayServer? _relay;

    public async Task InitializeAsync()
    {
        _twilio.Start();
        _relay = await RelayServer.StartAsync(
            "portal-sms-provider",
            "--RELAY_ADMIN_USER=" + PortalRelayFixture.Admin,
            "--RELAY_ADMIN_PASSWORD=" + PortalRelayFixture.Password,
            "--Relay:Sms:Provider=twilio",
            "--Relay:Sms:Providers:twilio:AccountSid=" + AccountSid,
            "--Relay:Sms:Providers:twilio:AuthToken=" + AuthToken,
            "--Relay:Sms:Providers:twilio:From=+447700900000",
            "--Relay:Sms:Providers:twilio:BaseUrl=" + _twilio.BaseAddress);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AHealthCheckSaysWhatTheProviderAnsweredAndATestSendReachesTheProvider()
    {
        await using var portal = new PortalBrowser(chromium, _relay!);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Admin, PortalRelayFixture.Password);
        await PortalBrowser.OpenAsync(page, "/portal/plugins");
        ILocator twilio = page.Locator("#plugins tr[data-plugin='twilio']");

        await twilio.GetByRole(AriaRole.Button, new() { Name = "Check health now of twilio" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync($"Failing at ");
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync($"Twilio account {AccountSid} is suspended");
        await Assertions.Expect(twilio.Locator("td").Nth(1)).ToContainTextAsync("failing");

        await twilio.GetByLabel("Send a test SMS to").FillAsync("+447700900789");
        await twilio.GetByRole(AriaRole.Button, new() { Name = "Send test SMS through twilio" }).ClickAsync();
        await Assertions.Expect(page.Locator("#plugin-message")).ToContainTextAsync("Sent: twilio accepted the test message to +44*******789 (its id SM0000000000000000000000000000001, state queued)");
        await PortalBrowser.ScreenshotAsync(page, "plugins-twilio");

        TwilioStub.Request send = Assert.Single(_twilio.Requests, static r => r.Method == "POST");
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", send.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(AccountSid + ":" + AuthToken)), send.Authorization);
        Assert.Contains("To=%2B447700900789", send.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, await page.ContentAsync(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    public void Dispose() => _twilio.Dispose();
}
