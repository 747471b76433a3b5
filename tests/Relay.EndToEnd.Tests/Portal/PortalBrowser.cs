using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// People using the portal in Chromium: each sign-in gets its own browser context (its own cookie),
/// pages wait until the portal is interactive (its circuit connected), and screenshots go to
/// <c>artifacts/screenshots/portal-*.png</c> beside the test assembly.
/// </summary>
public sealed class PortalBrowser(ChromiumFixture chromium, RelayServer server) : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    private readonly List<IBrowserContext> _contexts = [];

    public static string Screenshots
    {
        get
        {
            string path = Path.Combine(Repository.Artifacts, "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    /// <summary>A fresh context, not signed in.</summary>
    public async Task<IPage> NewPageAsync()
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 800 },
        });
        context.SetDefaultTimeout((float)s_wait.TotalMilliseconds);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the relay's /login page as a person would, and waits for the portal's overview.</summary>
    public async Task<IPage> SignInAsync(string name, string password)
    {
        IPage page = await NewPageAsync();
        await page.GotoAsync("/portal");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Opens <paramref name="path"/> by URL (a new request, so the server's authorization applies) and waits until it is interactive.</summary>
    public static async Task<IResponse?> OpenAsync(IPage page, string path)
    {
        IResponse? response = await page.GotoAsync(path);
        Assert.True(response is { Status: 200 }, $"GET {path} answered {response?.Status}.");
        await WaitInteractiveAsync(page);
        return response;
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator(".frame[data-interactive=true]").WaitForAsync();

    /// <summary>The names in the portal's navigation.</summary>
    public static async Task<IReadOnlyList<string>> NavigationAsync(IPage page) =>
        await page.Locator("nav[aria-label=Portal] a").AllInnerTextsAsync();

    public static async Task CreateUserAsync(IPage page, string name, string role, string password)
    {
        await page.GetByLabel("Sign-in name").FillAsync(name);
        await page.GetByLabel("Display name (rank, name, collar number)").FillAsync("PC " + name);
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync(role);
        await page.GetByLabel("Initial password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(page.Locator("#user-message")).ToHaveTextAsync($"Created {name} ({role}).");
        await Assertions.Expect(page.Locator($"#users tr[data-user='{name}'] td").Nth(1)).ToHaveTextAsync(role);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "portal-" + name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }
}
