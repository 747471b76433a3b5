using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Relay.EndToEnd.Tests.WebKit;

/// <summary>
/// The few W3C WebDriver commands the WebKit tests need (new session, navigate, run a script, delete),
/// spoken directly over HTTP: Playwright's WebKit is a patched build it downloads, which cannot be had
/// here, while Debian's WebKitGTK comes with a standard WebDriver server.
/// </summary>
public sealed class WebDriverSession : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _session;

    private WebDriverSession(HttpClient http, Uri session)
    {
        _http = http;
        _session = session;
    }

    public static async Task<WebDriverSession> StartAsync(HttpClient http, Uri driver, string browser)
    {
        ArgumentNullException.ThrowIfNull(http);
        var capabilities = new JsonObject
        {
            ["capabilities"] = new JsonObject
            {
                ["alwaysMatch"] = new JsonObject
                {
                    ["webkitgtk:browserOptions"] = new JsonObject
                    {
                        ["binary"] = browser,
                        ["args"] = new JsonArray("--automation", "--enable-media-stream=true", "--enable-mock-capture-devices=true"),
                    },
                },
            },
        };
        JsonNode? value = await CallAsync(http, HttpMethod.Post, new Uri(driver, "session"), capabilities);
        string id = value?["sessionId"]?.GetValue<string>() ?? throw new HttpRequestException("WebDriver made a session without an id.");
        return new WebDriverSession(http, new Uri(driver, "session/" + id + "/"));
    }

    public async Task GoToAsync(string url) => await CallAsync(_http, HttpMethod.Post, new Uri(_session, "url"), new JsonObject { ["url"] = url });

    /// <summary>Runs <paramref name="body"/> (a function body: it may <c>return</c> a JSON-able value) in the page.</summary>
    public async Task<JsonNode?> ExecuteAsync(string body) =>
        await CallAsync(_http, HttpMethod.Post, new Uri(_session, "execute/sync"), new JsonObject { ["script"] = body, ["args"] = new JsonArray() });

    public async Task<string?> TextAsync(string expression) => (await ExecuteAsync("return String(" + expression + ");"))?.GetValue<string>();

    /// <summary>Polls <paramref name="expression"/> (a JavaScript boolean) until true, failing with <paramref name="what"/> and the page's state.</summary>
    public async Task UntilAsync(string expression, string what, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonNode? result = await ExecuteAsync("try { return !!(" + expression + "); } catch (e) { return false; }");
            if (result?.GetValue<bool>() == true)
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                string? state = await TextAsync("JSON.stringify({ url: location.href, caller: window.relayCaller && { phase: relayCaller.phase, status: document.getElementById('status').textContent } })");
                throw new TimeoutException($"Waited {limit.TotalSeconds} s in WebKit for {what}; the page shows {state}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CallAsync(_http, HttpMethod.Delete, new Uri(_session.ToString().TrimEnd('/')), null);
        }
        catch (HttpRequestException)
        {
            // The driver is gone already; the fixture kills it anyway.
        }
    }

    private static async Task<JsonNode?> CallAsync(HttpClient http, HttpMethod method, Uri uri, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? document = JsonNode.Parse(text);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"WebDriver {method} {uri.AbsolutePath} answered {(int)response.StatusCode}: {text}");
        }

        return document?["value"];
    }
}
