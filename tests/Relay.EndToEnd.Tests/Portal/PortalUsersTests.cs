using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// Passwords through the portal in Chromium against the real relay: an engineer resets a user's password (a one-time
/// temporary password, shown once), the user must choose their own at the sign-in page before anything else, and any
/// person changes their own password on the Account page. Every step is in the audit log.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalUsersTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    private const string Password = PortalRelayFixture.Password;
    private const string Chosen = "a tall lighthouse in fog";
    private const string ChosenLater = "seven green kettles singing";

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task AResetPasswordWorksOnceOnlyToChooseANewOneAndThePersonLaterChangesItThemselves()
    {
        await relay.EnsureUsersAsync(chromium);
        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage users = await portal.SignInAsync(PortalRelayFixture.Engineer, Password);
        await PortalBrowser.OpenAsync(users, "/portal/users");
        string name = "reset-" + Guid.NewGuid().ToString("N")[..6];
        await PortalBrowser.CreateUserAsync(users, name, "officer", Password);

        // The person is signed in somewhere when the reset happens: that sign-in ends.
        IPage before = await portal.SignInAsync(name, Password);

        ILocator row = users.Locator($"#users tr[data-user='{name}']");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Reset password of {name}" }).ClickAsync();
        await Assertions.Expect(users.Locator("#user-message")).ToHaveTextAsync($"Reset the password of {name}: the temporary password is below.");
        string temporary = await users.Locator("#temporary-password").InnerTextAsync();
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){4}$", temporary);
        await Assertions.Expect(row).ToContainTextAsync("Temporary; must be changed.");
        await PortalBrowser.ScreenshotAsync(users, "users-reset");
        await axe.CheckAsync(users, "/portal/users with a temporary password shown");

        // Shown once: the next action or a reload no longer shows it.
        await PortalBrowser.OpenAsync(users, "/portal/users");
        await Assertions.Expect(users.Locator("#temporary-password")).ToHaveCountAsync(0);

        await before.GotoAsync("/portal/live");
        Assert.Contains("/login?returnUrl=", before.Url, StringComparison.Ordinal);

        // The old password no longer works; the temporary one only leads to choosing a new one.
        IPage signIn = await portal.NewPageAsync();
        await signIn.GotoAsync("/login?returnUrl=%2Fportal");
        await signIn.GetByLabel("User name").FillAsync(name);
        await signIn.GetByLabel("Password").FillAsync(Password);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(signIn.Locator("#error")).ToContainTextAsync("not right");
        await signIn.GetByLabel("Password").FillAsync(temporary);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(signIn.GetByLabel("New password", new() { Exact = true })).ToBeFocusedAsync();
        await Assertions.Expect(signIn.Locator("#choose-hint")).ToContainTextAsync("works only once");
        await axe.CheckAsync(signIn, "/login asking for a new password");
        await PortalBrowser.ScreenshotAsync(signIn, "sign-in-choose-password");

        await signIn.GetByLabel("New password", new() { Exact = true }).FillAsync(Chosen);
        await signIn.GetByLabel("New password again").FillAsync(Chosen + "!");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Set the new password and sign in" }).ClickAsync();
        await Assertions.Expect(signIn.Locator("#error")).ToContainTextAsync("not the same");
        await signIn.GetByLabel("New password", new() { Exact = true }).FillAsync("short");
        await signIn.GetByLabel("New password again").FillAsync("short");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Set the new password and sign in" }).ClickAsync();
        await Assertions.Expect(signIn.Locator("#error")).ToContainTextAsync("at least");
        await signIn.GetByLabel("New password", new() { Exact = true }).FillAsync(Chosen);
        await signIn.GetByLabel("New password again").FillAsync(Chosen);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Set the new password and sign in" }).ClickAsync();
        await signIn.WaitForURLAsync("**/portal");
        await PortalBrowser.WaitInteractiveAsync(signIn);
        Assert.Equal(["Overview", "Live", "New session"], await PortalBrowser.NavigationAsync(signIn));

        // The temporary password was used up.
        IPage again = await portal.NewPageAsync();
        await again.GotoAsync("/login");
        await again.GetByLabel("User name").FillAsync(name);
        await again.GetByLabel("Password").FillAsync(temporary);
        await again.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(again.Locator("#error")).ToContainTextAsync("not right");

        // The person changes their own password from the Account page (linked from the header on every page).
        await signIn.GetByRole(AriaRole.Link, new() { Name = "Your account" }).ClickAsync();
        await signIn.WaitForURLAsync("**/portal/account");
        await Assertions.Expect(signIn.Locator("#account")).ToContainTextAsync(name);
        await signIn.GetByLabel("Current password").FillAsync("not my password at all");
        await signIn.GetByLabel("New password", new() { Exact = true }).FillAsync(ChosenLater);
        await signIn.GetByLabel("New password again").FillAsync(ChosenLater);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(signIn.Locator("#account-message")).ToContainTextAsync("current password is not right");
        await signIn.GetByLabel("Current password").FillAsync(Chosen);
        await signIn.GetByLabel("New password", new() { Exact = true }).FillAsync(ChosenLater);
        await signIn.GetByLabel("New password again").FillAsync(ChosenLater);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(signIn.Locator("#account-message")).ToHaveTextAsync("Your password is changed and your sign-ins have ended.");
        await PortalBrowser.ScreenshotAsync(signIn, "account");
        await axe.CheckAsync(signIn, "/portal/account after a change");
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in again with the new password" }).ClickAsync();
        await signIn.WaitForURLAsync("**/login?returnUrl=%2Fportal");
        IPage changed = await portal.SignInAsync(name, ChosenLater);
        await PortalBrowser.OpenAsync(changed, "/portal/account");

        IPage audit = await portal.SignInAsync(PortalRelayFixture.EvidenceManager, Password);
        await PortalBrowser.OpenAsync(audit, "/portal/audit");
        await audit.GetByLabel("Subject (session, user)").FillAsync(name);
        await audit.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        ILocator reset = audit.Locator("#audit-rows tbody tr", new() { Has = audit.Locator("td:nth-child(4)", new() { HasTextString = "password-reset" }) });
        await Assertions.Expect(reset.Locator("td:nth-child(3)")).ToHaveTextAsync(PortalRelayFixture.Engineer);
        ILocator changes = audit.Locator("#audit-rows tbody tr", new() { Has = audit.Locator("td:nth-child(4)", new() { HasTextString = "password-change" }) });
        await Assertions.Expect(changes).ToHaveCountAsync(2);
        await Assertions.Expect(changes.Locator("td:nth-child(3)")).ToHaveTextAsync([name, name]);
        Assert.DoesNotContain(temporary, await audit.InnerTextAsync("#audit-rows"), StringComparison.Ordinal);
        axe.AssertClean();
    }

    [Theory(Timeout = TestTimeouts.Test)]
    [InlineData(PortalRelayFixture.Officer)]
    [InlineData(PortalRelayFixture.EvidenceManager)]
    [InlineData(PortalRelayFixture.Engineer)]
    public async Task EveryRoleMayOpenItsAccountPageButOnlyAnEngineerMayResetOthers(string user)
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage page = await portal.SignInAsync(user, Password);
        await PortalBrowser.OpenAsync(page, "/portal/account");
        await Assertions.Expect(page.Locator("#account")).ToContainTextAsync(user);
        IResponse? users = await page.GotoAsync("/portal/users");
        Assert.Equal(user == PortalRelayFixture.Engineer ? 200 : 403, users?.Status);
    }
}
