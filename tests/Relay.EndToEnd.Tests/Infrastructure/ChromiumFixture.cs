using Microsoft.Playwright;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole run, driven by Playwright's bundled node driver
/// (Playwright's own browser download cannot work here). Each test opens fresh contexts; Playwright
/// gives the browser a fresh temporary profile. The fake camera is Chromium's test pattern.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] s_arguments =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",

        // Only loopback is used here: let WebRTC gather 127.0.0.1 and show it as it is (no mDNS name).
        "--allow-loopback-in-peer-connection",
        "--disable-features=WebRtcHideLocalIpsWithMdns",

        // Several pages play at once in one browser; none may be throttled as a background tab.
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        "--autoplay-policy=no-user-gesture-required",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = s_arguments,
            Timeout = 30_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh context (own cookies, storage and permissions) for one publisher or viewer.</summary>
    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        Permissions = ["camera", "microphone"],
        ViewportSize = new ViewportSize { Width = 700, Height = 560 },
    });
}
