using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// The New session form against the race CI once hit: a click on "Location only" undone by the render that
/// answered the change of the field typed just before (Blazor Server answers each change over the circuit, and
/// InputRadio re-sent its 'checked' state with every render of the form).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PortalNewSessionTests(ChromiumFixture chromium, PortalRelayFixture relay) : IClassFixture<PortalRelayFixture>
{
    /// <summary>
    /// Makes the interleaving certain rather than lucky: in one task of the page's script the number field's change
    /// goes to the server and the radio is clicked, so the server's answer to the change can only arrive after the
    /// click. Every write the portal's script makes to a radio's <c>checked</c> is recorded; none may happen.
    /// </summary>
    private const string ChangeNumberThenClickLocationOnly = """
        () => {
          const phone = document.getElementById('phone');
          const writes = window.__radioWrites = [];
          const checkedProperty = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'checked');
          for (const radio of document.querySelectorAll('input[type=radio][name=mode]')) {
            Object.defineProperty(radio, 'checked', {
              configurable: true,
              get() { return checkedProperty.get.call(this); },
              set(value) { writes.push(this.id + '=' + value); checkedProperty.set.call(this, value); },
            });
          }
          phone.focus();
          phone.value = '+447700900123';
          phone.dispatchEvent(new Event('input', { bubbles: true }));
          phone.dispatchEvent(new Event('change', { bubbles: true }));
          document.getElementById('mode-location').click();
          return document.getElementById('mode-location').checked;
        }
        """;

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AClickOnLocationOnlyThatLandsBeforeTheRenderOfTheNumberStaysAndCreatesALocationSession()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage form = await portal.SignInAsync(PortalRelayFixture.Officer, PortalRelayFixture.Password);
        await PortalBrowser.OpenAsync(form, "/portal/sessions/new");
        await Assertions.Expect(form.GetByLabel("Incident reference")).ToBeEnabledAsync();
        await form.GetByLabel("Incident reference").FillAsync("RACE-1");

        Assert.True(await form.EvaluateAsync<bool>(ChangeNumberThenClickLocationOnly));

        // The lead paragraph follows the server's mode: once it says "their location", both answers (to the number
        // and to the radio) have been drawn.
        await Assertions.Expect(form.Locator("main p").First).ToContainTextAsync("their location");
        await Assertions.Expect(form.GetByLabel("Location only")).ToBeCheckedAsync();
        await Assertions.Expect(form.GetByLabel("Video and location")).Not.ToBeCheckedAsync();
        Assert.Empty(await form.EvaluateAsync<string[]>("() => window.__radioWrites"));

        await form.GetByRole(AriaRole.Button, new() { Name = "Create and send link" }).ClickAsync();
        await Assertions.Expect(form.Locator("#created")).ToBeVisibleAsync();
        string id = await form.InnerTextAsync("#created-id");
        Assert.Equal("location", await ModeOfAsync(id));
        await Assertions.Expect(form.GetByLabel("Location only")).ToBeCheckedAsync();
    }

    /// <summary>
    /// The page is drawn by the server before its circuit connects (prerendering), and the first interactive render
    /// replaces that drawing: a choice made in it would be silently undone. Here the circuit is held back until the
    /// form has been looked at; while it is, the fields cannot be used.
    /// </summary>
    [Fact(Timeout = TestTimeouts.Test)]
    public async Task BeforeThePageIsInteractiveTheFormCannotBeUsedSoNoChoiceIsSilentlyUndone()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage form = await portal.SignInAsync(PortalRelayFixture.Officer, PortalRelayFixture.Password);
        var circuit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await form.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            await circuit.Task;
            await route.ContinueAsync();
        });
        await form.GotoAsync("/portal/sessions/new");
        await Assertions.Expect(form.Locator(".frame[data-interactive=false]")).ToBeVisibleAsync();
        await Assertions.Expect(form.GetByLabel("Location only")).ToBeDisabledAsync();
        await Assertions.Expect(form.GetByLabel("Incident reference")).ToBeDisabledAsync();
        await Assertions.Expect(form.GetByRole(AriaRole.Button, new() { Name = "Create and send link" })).ToBeDisabledAsync();

        circuit.SetResult();
        await PortalBrowser.WaitInteractiveAsync(form);
        await form.GetByLabel("Location only").CheckAsync();
        await Assertions.Expect(form.Locator("main p").First).ToContainTextAsync("their location");
        await Assertions.Expect(form.GetByLabel("Location only")).ToBeCheckedAsync();
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task AKeyboardUserTypesTheNumberTabsToTheRadiosAndPicksLocationOnlyWithAnArrowKey()
    {
        await relay.EnsureUsersAsync(chromium);
        await using var portal = new PortalBrowser(chromium, relay.Server);
        IPage form = await portal.SignInAsync(PortalRelayFixture.Officer, PortalRelayFixture.Password);
        await PortalBrowser.OpenAsync(form, "/portal/sessions/new");
        await Assertions.Expect(form.GetByLabel("Incident reference")).ToBeEnabledAsync();
        await form.GetByLabel("Incident reference").FillAsync("RACE-2");
        await form.GetByLabel("Caller's mobile number").FocusAsync();
        await form.Keyboard.TypeAsync("+447700900123");
        await form.Keyboard.PressAsync("Tab");
        await form.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(form.GetByLabel("Location only")).ToBeCheckedAsync();
        await Assertions.Expect(form.Locator("main p").First).ToContainTextAsync("their location");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create and send link" }).ClickAsync();
        await Assertions.Expect(form.Locator("#created")).ToBeVisibleAsync();
        Assert.Equal("location", await ModeOfAsync(await form.InnerTextAsync("#created-id")));
    }

    private async Task<string?> ModeOfAsync(string sessionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{sessionId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", relay.Server.ApiKey);
        using HttpResponseMessage response = await relay.Server.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/sessions/{sessionId} answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("mode").GetString();
    }
}
