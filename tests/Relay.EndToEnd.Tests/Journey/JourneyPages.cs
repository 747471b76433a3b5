using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Journey;

/// <summary>
/// The journey's pages in Chromium: officers' players (the API key sent as a header on every
/// request, as a signed-in browser's cookie would be) and the caller's page in a phone-sized context.
/// </summary>
internal sealed class JourneyPages : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly ChromiumFixture _chromium;
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>Script errors and console errors of every page, for failure messages.</summary>
    public static System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    public static void Watch(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.PageError += (_, error) => Errors.Enqueue(page.Url + ": " + error);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Errors.Enqueue(page.Url + ": console " + message.Type + ": " + message.Text);
            }
        };
    }

    /// <summary>An init script counting getUserMedia calls before any page script runs, so a test can prove a page never asked for the camera.</summary>
    public const string CountCameraRequests = """
        window.relayCameraRequests = 0;
        if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
          const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
          navigator.mediaDevices.getUserMedia = (...args) => { window.relayCameraRequests++; return original(...args); };
        }
        """;

    /// <summary>What the caller's page says once it shares video.</summary>
    public const string CallerConnected = "window.relayCaller.connected === true";

    public JourneyPages(ChromiumFixture chromium) => _chromium = chromium;

    /// <summary>Opens the caller's <paramref name="link"/> in a new page of <paramref name="phone"/>, its errors watched.</summary>
    public static async Task<IPage> OpenCallerAsync(IBrowserContext phone, string link)
    {
        ArgumentNullException.ThrowIfNull(phone);
        IPage caller = await phone.NewPageAsync();
        Watch(caller);
        await caller.GotoAsync(link);
        return caller;
    }

    /// <summary>Opens the caller's <paramref name="link"/>, presses Start and waits until <paramref name="sharing"/> holds on the page.</summary>
    public static async Task<IPage> StartSharingAsync(IBrowserContext phone, string link, string sharing = CallerConnected)
    {
        IPage caller = await OpenCallerAsync(phone, link);
        await caller.ClickAsync("#start");
        await UntilAsync(caller, sharing, "the caller to share (" + sharing + ")");
        return caller;
    }

    public async Task<IPage> OpenPlayerAsync(RelayServer relay, string sessionId)
    {
        IBrowserContext context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + relay.ApiKey },
        });
        _contexts.Add(context);
        IPage page = await context.NewPageAsync();
        Watch(page);
        IResponse? response = await page.GotoAsync(new Uri(relay.BaseAddress, "/player/" + sessionId).ToString());
        Assert.True(response is { Ok: true }, $"GET /player/{sessionId} answered {response?.Status}");
        return page;
    }

    /// <summary>A phone: small screen, touch, camera and location allowed, at <paramref name="latitude"/>, <paramref name="longitude"/>.</summary>
    public async Task<IBrowserContext> NewPhoneAsync(double latitude, double longitude, string[] permissions)
    {
        IBrowserContext context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Permissions = permissions,
            Geolocation = new Geolocation { Latitude = (float)latitude, Longitude = (float)longitude, Accuracy = 8 },
            Locale = "en-GB",
        });
        _contexts.Add(context);
        return context;
    }

    public static async Task<T> EvaluateAsync<T>(IPage page, string expression) =>
        JsonSerializer.Deserialize<T>(await page.EvaluateAsync<string>($"async () => JSON.stringify({expression})"), JsonSerializerOptions.Web)!;

    /// <summary>Polls <paramref name="expression"/> (a JavaScript boolean) until true, failing with <paramref name="what"/> and the page's view.</summary>
    public static async Task UntilAsync(IPage page, string expression, string what, TimeSpan? timeout = null)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }}", null,
                new PageWaitForFunctionOptions { Timeout = (float)(timeout ?? Wait).TotalMilliseconds, PollingInterval = 50 });
        }
        catch (TimeoutException e)
        {
            string state = await page.EvaluateAsync<string>("() => JSON.stringify({ player: window.relayPlayer && { state: relayPlayer.state, mode: relayPlayer.mode, frames: relayPlayer.framesDecoded, last: relayPlayer.lastPosition }, caller: window.relayCaller && { phase: relayCaller.phase, connected: relayCaller.connected, positions: relayCaller.positionsSent, status: document.getElementById('status') && document.getElementById('status').textContent } })");
            throw new TimeoutException($"Waited {(timeout ?? Wait).TotalSeconds} s for {what}; the page shows {state}; page errors: {string.Join(" | ", Errors)}", e);
        }
    }

    /// <summary>The player's decoded video frames, from getStats.</summary>
    public static async Task<int> FramesDecodedAsync(IPage player) =>
        (int)await player.EvaluateAsync<double>("async () => (await window.relayPlayer.stats()).framesDecoded");

    public static async Task WaitForFramesAsync(IPage player, int atLeast, string what)
    {
        var clock = Stopwatch.StartNew();
        int frames = await FramesDecodedAsync(player);
        while (frames < atLeast)
        {
            if (clock.Elapsed > Wait)
            {
                Assert.Fail($"Waited {Wait.TotalSeconds} s for {what}; the player decoded {frames} frames (state {await player.EvaluateAsync<string>("() => window.relayPlayer.state")}).");
            }

            await Task.Delay(100);
            frames = await FramesDecodedAsync(player);
        }
    }

    /// <summary>Creates a session as an officer and reads its link from the SMS outbox, as the caller gets it.</summary>
    public static async Task<(string Id, string Link)> CreateLinkAsync(RelayServer server, string mode)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { incident = "E2E-JOURNEY", phone = "+447700900123", mode, retention = "not-needed" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/sessions answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        string id = json.RootElement.GetProperty("id").GetString()!;

        // The caller gets the link by SMS: take it from the outbox plugin, as sent.
        string link = server.ReadLinkFromOutbox(id);
        Assert.Equal(json.RootElement.GetProperty("link").GetString(), link);
        return (id, link);
    }

    public static string Js(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Artifacts, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }
}
