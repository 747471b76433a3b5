using System.Text;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// Plugin configuration on the Plugins page, against the Twilio plugin with a loopback stand-in for Twilio's API:
/// an engineer sees the ordinary settings' values and only "set" for the secret ones, changes the sender and the
/// auth token (a refused value first), and the next SMS goes out with both without a restart. The secret never
/// appears in the page, an API response, the relay's log or the audit log; other roles are refused everywhere.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalPluginSettingsTests(ChromiumFixture chromium) : IAsyncLifetime, IDisposable
{
    private const string Password = PortalRelayFixture.Password;
    private const string Engineer = "engineer1";
    private const string Officer = "officer1";
    private const string EvidenceManager = "evidence1";
    private const string AccountSid = "AC00000000000000000000000000000456";
    private const string DeployedToken = "deployed-token-0a1b2c3d4e5f";
    private const string RotatedToken = "rotated-token-9f8e7d6c5b4a";
    private const string ApiToken = "api-token-1122334455667788";

    private readonly TwilioStub _twilio = new(AccountSid, "active");
    private RelayServer? _relay;

    public async Task InitializeAsync()
    {
        _twilio.Start();
        _relay = await RelayServer.StartAsync(
            "portal-plugin-settings",
            "--RELAY_ADMIN_USER=" + PortalRelayFixture.Admin,
            "--RELAY_ADMIN_PASSWORD=" + Password,
            "--Relay:Sms:Provider=twilio",
            "--Relay:Sms:Providers:twilio:AccountSid=" + AccountSid,
            "--Relay:Sms:Providers:twilio:AuthToken=" + DeployedToken,
            "--Relay:Sms:Providers:twilio:From=+447700900000",
            "--Relay:Sms:Providers:twilio:BaseUrl=" + _twilio.BaseAddress);
        await using var portal = new PortalBrowser(chromium, _relay);
        IPage admin = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        // A fresh page for each: on a loaded machine the form's re-render after one creation can lag the next fill.
        foreach ((string name, string role) in ((string, string)[])[(Engineer, "engineer"), (Officer, "officer"), (EvidenceManager, "evidence-manager")])
        {
            await PortalBrowser.OpenAsync(admin, "/portal/users");
            await PortalBrowser.CreateUserAsync(admin, name, role, Password);
        }
    }

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task AnEngineerChangesTheSenderAndTheAuthToken_WhichApplyAtOnce_AndTheSecretIsNeverShown()
    {
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, _relay!);
        IPage page = await portal.SignInAsync(Engineer, Password);
        await PortalBrowser.OpenAsync(page, "/portal/plugins");
        ILocator twilio = page.Locator("#plugins tr[data-plugin='twilio']");
        await Assertions.Expect(twilio.Locator("li[data-setting='AccountSid'] .value")).ToHaveTextAsync(AccountSid);
        await Assertions.Expect(twilio.Locator("li[data-setting='From'] .value")).ToHaveTextAsync("+447700900000");
        await Assertions.Expect(twilio.Locator("li[data-setting='AuthToken'] .value")).ToHaveTextAsync("set");
        await Assertions.Expect(twilio.Locator("li[data-setting='ApiKeySecret'] .value")).ToHaveTextAsync("not set");
        await Assertions.Expect(twilio.Locator(".applies")).ToContainTextAsync("applies at once");
        await axe.CheckAsync(page, "/portal/plugins (engineer)");

        ILocator form = page.Locator("section.plugin-settings[data-plugin='twilio']");
        ILocator message = page.Locator("#plugin-message");

        // A value the plugin refuses is not stored, and the message says why.
        await form.GetByLabel("Setting").SelectOptionAsync("BaseUrl");
        await form.GetByLabel("New value").FillAsync("not a url");
        await form.GetByLabel("Reason (kept in the audit log)").FillAsync("Trying a bad address");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save setting of twilio" }).ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Not changed: twilio refuses these settings: BaseUrl must be an absolute http(s) URL.");
        await Assertions.Expect(twilio.Locator("li[data-setting='BaseUrl'] .value")).ToHaveTextAsync(_twilio.BaseAddress);

        await form.GetByLabel("Setting").SelectOptionAsync("From");
        await form.GetByLabel("New value").FillAsync("+447700900555");
        await form.GetByLabel("Reason (kept in the audit log)").FillAsync("New sender number from the provider");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save setting of twilio" }).ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("From of twilio is now +447700900555 (was +447700900000).");
        await Assertions.Expect(twilio.Locator("li[data-setting='From'] .value")).ToHaveTextAsync("+447700900555");
        await Assertions.Expect(twilio.Locator("li[data-setting='From']")).ToContainTextAsync("changed here by " + Engineer);

        await form.GetByLabel("Setting").SelectOptionAsync("AuthToken");
        ILocator secret = form.GetByLabel("New value");
        await Assertions.Expect(secret).ToHaveAttributeAsync("type", "password");
        await secret.FillAsync(RotatedToken);
        await form.GetByLabel("Reason (kept in the audit log)").FillAsync("Token rotated after the supplier's notice");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save setting of twilio" }).ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("AuthToken of twilio is replaced (a secret: its value is not shown).");
        await Assertions.Expect(twilio.Locator("li[data-setting='AuthToken'] .value")).ToHaveTextAsync("set");
        await Assertions.Expect(secret).ToHaveValueAsync("");
        await PortalBrowser.ScreenshotAsync(page, "plugin-settings");
        await axe.CheckAsync(page, "/portal/plugins (after changes)");
        AssertNoSecret(await page.ContentAsync(), "the Plugins page");

        // The running provider was reloaded: the test SMS goes with the new sender and the new token.
        await twilio.GetByLabel("Send a test SMS to").FillAsync("+447700900789");
        await twilio.GetByRole(AriaRole.Button, new() { Name = "Send test SMS through twilio" }).ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Sent: twilio accepted the test message");
        TwilioStub.Request send = Assert.Single(_twilio.Requests, static r => r.Method == "POST");
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(AccountSid + ":" + RotatedToken)), send.Authorization);
        Assert.Contains("From=%2B447700900555", send.Body, StringComparison.Ordinal);

        // The API: the list shows values but never a secret; a secret changed through it is not echoed.
        IAPIResponse list = await page.APIRequest.GetAsync("/api/plugins");
        Assert.Equal(200, list.Status);
        string listed = await list.TextAsync();
        Assert.Contains("+447700900555", listed, StringComparison.Ordinal);
        AssertNoSecret(listed, "GET /api/plugins");
        IAPIResponse put = await page.APIRequest.PutAsync("/api/plugins/twilio/settings/AuthToken", new() { DataObject = new { value = ApiToken, reason = "rotated again by the deployment script" } });
        string answered = await put.TextAsync();
        Assert.True(put.Status == 200, answered);
        AssertNoSecret(answered, "PUT /api/plugins/twilio/settings/AuthToken");
        IAPIResponse refused = await page.APIRequest.PutAsync("/api/plugins/twilio/settings/BaseUrl", new() { DataObject = new { value = "ftp://" + ApiToken, reason = "bad" } });
        Assert.Equal(400, refused.Status);
        AssertNoSecret(await refused.TextAsync(), "a refused PUT");

        // The audit log has the sender's old and new value, and for the token only that it changed.
        IPage admin = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        await PortalBrowser.OpenAsync(admin, "/portal/audit");
        // The action suggestions come from the relay's own list of actions, so these are offered too.
        foreach (string action in (string[])["plugin-setting-change", "tuning-change", "subject-access", "session-unshared"])
        {
            await Assertions.Expect(admin.Locator($"#actions option[value='{action}']")).ToHaveCountAsync(1);
        }

        await admin.GetByLabel("Action", new() { Exact = true }).FillAsync("plugin-setting-change");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator rows = admin.Locator("#audit-rows tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        ILocator sender = rows.Filter(new() { HasText = "setting=From" });
        await Assertions.Expect(sender).ToContainTextAsync("from=+447700900000");
        await Assertions.Expect(sender).ToContainTextAsync("to=+447700900555");
        await Assertions.Expect(rows.Filter(new() { HasText = "setting=AuthToken" }).First).ToContainTextAsync("change=changed");
        AssertNoSecret(await admin.ContentAsync(), "the Audit page");

        // Nor did any of it reach the relay's log.
        AssertNoSecret(ReadLog(), "the relay's log");
        axe.AssertClean();
    }

    [Theory(Timeout = TestTimeouts.Test)]
    [InlineData(Officer)]
    [InlineData(EvidenceManager)]
    public async Task OtherRolesCannotOpenThePluginsPage_NorReadOrChangeSettingsThroughTheApi(string name)
    {
        await using var portal = new PortalBrowser(chromium, _relay!);
        IPage page = await portal.SignInAsync(name, Password);

        Assert.DoesNotContain("Plugins", await PortalBrowser.NavigationAsync(page));
        IResponse? response = await page.GotoAsync("/portal/plugins");
        Assert.Equal(403, response?.Status);
        Assert.Contains("Not allowed", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await PortalBrowser.ScreenshotAsync(page, "plugins-refused-" + name);

        Assert.Equal(403, (await page.APIRequest.GetAsync("/api/plugins")).Status);
        IAPIResponse put = await page.APIRequest.PutAsync("/api/plugins/twilio/settings/From", new() { DataObject = new { value = "+447700900999", reason = "not mine to change" } });
        Assert.Equal(403, put.Status);
    }

    private static void AssertNoSecret(string text, string where)
    {
        foreach (string secret in (string[])[DeployedToken, RotatedToken, ApiToken])
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret's value appeared in {where}.");
        }
    }

    private string ReadLog()
    {
        using var stream = new FileStream(_relay!.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
