using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.WebKit;

/// <summary>
/// WebKit, the engine of iOS Safari, as Debian ships it: WebKitGTK's MiniBrowser driven through its
/// W3C WebDriver server (webkit2gtk-driver) on a private Xvfb display, with WebKit's mock camera.
/// Debian's WebKitGTK is built without WebRTC, so it shows how the caller's page behaves on a
/// WebKit that cannot send video, and that the page's script runs in Safari's engine at all.
/// </summary>
public sealed class WebKitFixture : IAsyncLifetime
{
    public const string DriverPath = "/usr/bin/WebKitWebDriver";
    public const string BrowserPath = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

    private Process? _display;
    private Process? _driver;

    /// <summary>The WebDriver server's address.</summary>
    public Uri Address { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        string logs = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "webkit")).FullName;
        int display = FreeDisplay();
        _display = ChildProcesses.Start(
            new ProcessStartInfo("Xvfb") { ArgumentList = { ":" + display.ToString(CultureInfo.InvariantCulture), "-nolisten", "tcp", "-screen", "0", "1280x1024x24" } },
            Path.Combine(logs, "xvfb.log"));
        await WaitForAsync(() => File.Exists(SocketPath(display)), "Xvfb to open display :" + display);

        int port = FreePort.Tcp();
        var driver = new ProcessStartInfo(DriverPath) { ArgumentList = { "--host=127.0.0.1", "--port=" + port.ToString(CultureInfo.InvariantCulture) } };
        driver.Environment["DISPLAY"] = ":" + display.ToString(CultureInfo.InvariantCulture);
        _driver = ChildProcesses.Start(driver, Path.Combine(logs, "webdriver.log"));
        Address = new Uri($"http://127.0.0.1:{port}/");
        await WaitForAsync(() => IsReady(), "WebKitWebDriver to answer /status");
    }

    public Task DisposeAsync()
    {
        foreach (Process? process in new[] { _driver, _display })
        {
            if (process is not null)
            {
                ChildProcesses.Kill(process);
            }
        }

        Http.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A new browser window (a fresh WebKit session), closed when disposed.</summary>
    public Task<WebDriverSession> NewSessionAsync() => WebDriverSession.StartAsync(Http, Address, BrowserPath);

    private static string SocketPath(int display) => "/tmp/.X11-unix/X" + display.ToString(CultureInfo.InvariantCulture);

    // A display number no X server holds now (its lock file and socket are absent).
    private static int FreeDisplay()
    {
        for (int display = 90 + Random.Shared.Next(100); ; display++)
        {
            if (!File.Exists("/tmp/.X" + display.ToString(CultureInfo.InvariantCulture) + "-lock") && !File.Exists(SocketPath(display)))
            {
                return display;
            }
        }
    }

    private bool IsReady()
    {
        try
        {
            using HttpResponseMessage response = Http.GetAsync(new Uri(Address, "status")).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("Waited 30 s for " + what + ".");
            }

            await Task.Delay(100);
        }
    }
}
