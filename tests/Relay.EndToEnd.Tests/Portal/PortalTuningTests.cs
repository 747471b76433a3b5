using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The Tuning page in Chromium against the real relay process: an engineer changes the caller link
/// lifetime (a refused value first, with the rule shown), the next session's link has the new lifetime
/// without a restart, the change is in the audit log with the old and new value, a setting the
/// deployment gives in an environment variable cannot be changed, and an officer can neither open the
/// page nor use the API.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalTuningTests(ChromiumFixture chromium, PortalTuningRelayFixture relay) : IClassFixture<PortalTuningRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;
    private const string TokenLifetime = "Relay:Sessions:CallerTokenLifetime";

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task AnEngineerChangesTheCallerLinkLifetime_AndTheNextSessionUsesItWithoutARestart()
    {
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Admin, Password);
        Assert.Contains("Tuning", await PortalBrowser.NavigationAsync(page));
        await PortalBrowser.OpenAsync(page, "/portal/tuning");
        ILocator row = page.Locator($"tr[data-key='{TokenLifetime}']");
        await Assertions.Expect(row.Locator(".value")).ToHaveTextAsync("00:30:00");
        await Assertions.Expect(row.Locator(".source")).ToHaveTextAsync("the built-in default");

        // Deployed in an environment variable: shown, and not changeable here.
        ILocator deployed = page.Locator($"tr[data-key='{PortalTuningRelayFixture.EnvironmentKey}']");
        await Assertions.Expect(deployed.Locator(".value")).ToHaveTextAsync(PortalTuningRelayFixture.EnvironmentValue);
        await Assertions.Expect(deployed.Locator(".locked")).ToHaveTextAsync("Set by the environment; cannot be changed here.");
        await Assertions.Expect(deployed.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await PortalBrowser.ScreenshotAsync(page, "tuning");
        await axe.CheckAsync(page, "/portal/tuning");

        await row.GetByRole(AriaRole.Button, new() { Name = "Change Caller link lifetime" }).ClickAsync();
        ILocator value = page.GetByLabel("New value");
        await Assertions.Expect(value).ToBeFocusedAsync();
        await value.FillAsync("2.00:00:00");
        await page.GetByLabel("Reason (kept in the audit log)").FillAsync("Night shift: links must not linger");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#tuning-value-error")).ToContainTextAsync("Relay:Sessions:CallerTokenLifetime is 2.00:00:00; give 00:00:01 to 1.00:00:00");
        await Assertions.Expect(value).ToHaveAttributeAsync("aria-invalid", "true");
        await axe.CheckAsync(page, "/portal/tuning (a refused value)");
        await PortalBrowser.ScreenshotAsync(page, "tuning-refused");

        await value.FillAsync("00:05:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#tuning-message")).ToContainTextAsync("Caller link lifetime is now 00:05:00 (was 00:30:00).");
        await Assertions.Expect(row.Locator(".value")).ToHaveTextAsync("00:05:00");
        await Assertions.Expect(row.Locator(".source")).ToContainTextAsync("changed here by " + PortalRelayFixture.Admin);

        // The next session's link, made by the same running relay, expires five minutes on.
        DateTimeOffset expiresAt = await CreateSessionAsync();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        await PortalBrowser.OpenAsync(page, "/portal/audit");
        await page.GetByLabel("Action", new() { Exact = true }).FillAsync("tuning-change");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator audit = page.Locator("#audit-rows tbody tr").Filter(new() { HasText = "tuning:" + TokenLifetime });
        await Assertions.Expect(audit).ToHaveCountAsync(1);
        await Assertions.Expect(audit).ToContainTextAsync("reason: Night shift: links must not linger");
        await Assertions.Expect(audit).ToContainTextAsync("from=00:30:00");
        await Assertions.Expect(audit).ToContainTextAsync("to=00:05:00");
        axe.AssertClean();
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AnOfficerCannotOpenTheTuningPage_NorChangeASettingThroughTheApi()
    {
        await relay.EnsureOfficerAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Officer, Password);

        Assert.DoesNotContain("Tuning", await PortalBrowser.NavigationAsync(page));
        IResponse? response = await page.GotoAsync("/portal/tuning");
        Assert.Equal(403, response?.Status);
        Assert.Contains("Not allowed", await page.InnerTextAsync("h1"), StringComparison.Ordinal);

        // With the officer's own portal sign-in (its cookie), the API refuses too.
        IAPIResponse put = await page.APIRequest.PutAsync($"/api/tuning/{TokenLifetime}", new() { DataObject = new { value = "1.00:00:00", reason = "longer links" } });
        Assert.Equal(403, put.Status);
        IAPIResponse list = await page.APIRequest.GetAsync("/api/tuning");
        Assert.Equal(403, list.Status);
    }

    private async Task<DateTimeOffset> CreateSessionAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { incident = "E2E-TUNING", phone = "+447700900123", mode = "video", retention = "not-needed" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", relay.Server.ApiKey);
        using HttpResponseMessage response = await relay.Server.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/sessions answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("expiresAt").GetDateTimeOffset();
    }
}
