using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real relay, as built (<c>dotnet Relay.Server.dll</c>), run as a child process on loopback
/// with free HTTP and UDP media ports and one officer API key. Ready once /healthz answers.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private readonly string _dataDirectory;

    private RelayServer(Process process, Uri baseAddress, int mediaPort, string apiKey, string logPath, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        MediaPort = mediaPort;
        ApiKey = apiKey;
        LogPath = logPath;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The UDP port every peer's ICE, DTLS and SRTP share.</summary>
    public int MediaPort { get; }

    /// <summary>An officer key (create sessions, publish, watch).</summary>
    public string ApiKey { get; }

    public string LogPath { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a relay; <paramref name="settings"/> are extra <c>--Key=Value</c> arguments.</summary>
    public static Task<RelayServer> StartAsync(string name, params string[] settings) => StartAsync(name, new Dictionary<string, string>(), settings);

    /// <summary>Starts a relay with extra environment variables (e.g. <c>Relay__Media__PublisherGracePeriod</c>) as well as arguments.</summary>
    public static async Task<RelayServer> StartAsync(string name, IReadOnlyDictionary<string, string> environment, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!File.Exists(Repository.ServerAssembly))
        {
            throw new InvalidOperationException($"The relay is not built: {Repository.ServerAssembly} is missing. Build Relay.sln in {Repository.Configuration} first.");
        }

        int httpPort = FreePort.Tcp();
        int mediaPort = FreePort.Udp();
        string apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string dataDirectory = Directory.CreateTempSubdirectory("relay-e2e-data-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Repository.ServerAssembly)!,
        };
        info.ArgumentList.Add(Repository.ServerAssembly);
        foreach (string argument in (string[])
        [
            "--urls", $"http://127.0.0.1:{httpPort}",
            "--Relay:Media:Port=" + mediaPort.ToString(CultureInfo.InvariantCulture),
            "--Relay:Media:BindAddress=127.0.0.1",
            "--Relay:DataDirectory=" + dataDirectory,
            "--Relay:ApiKeys:0:Name=end-to-end",
            "--Relay:ApiKeys:0:Key=" + apiKey,
            "--Relay:ApiKeys:0:Role=officer",
            // Every session here sends its link (through the outbox) to one test number.
            "--Relay:Sms:Limits:PerNumber:Count=100000",
            "--Relay:Sms:Limits:PerOfficer:Count=100000",
            .. settings,
        ])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach ((string key, string value) in environment)
        {
            info.Environment[key] = value;
        }

        string logPath = Path.Combine(Repository.Artifacts, $"relay-{name}.log");
        Process process = ChildProcesses.Start(info, logPath);
        var server = new RelayServer(process, new Uri($"http://127.0.0.1:{httpPort}"), mediaPort, apiKey, logPath, dataDirectory);
        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// The caller link the relay sent for <paramref name="sessionId"/>, read as a person would get it: from
    /// the SMS in the outbox plugin's file (JSON lines with the message's body and the session as reference).
    /// </summary>
    public string ReadLinkFromOutbox(string sessionId)
    {
        string outbox = Path.Combine(_dataDirectory, "sms-outbox.jsonl");
        Assert.True(File.Exists(outbox), $"The relay wrote no SMS outbox at {outbox}.");
        foreach (string line in File.ReadAllLines(outbox))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.GetProperty("reference").GetString() == sessionId)
            {
                string body = entry.RootElement.GetProperty("body").GetString()!;
                Match link = Regex.Match(body, @"https?://\S+/c/[A-Za-z0-9_-]+");
                Assert.True(link.Success, $"The SMS for session {sessionId} holds no caller link: {body}");
                return link.Value;
            }
        }

        throw new Xunit.Sdk.XunitException($"No SMS in {outbox} is for session {sessionId}.");
    }

    /// <summary>Every message the outbox plugin has written, one JSON line each (<c>{"id","at","to","body","reference"}</c>).</summary>
    public IReadOnlyList<string> ReadOutboxLines()
    {
        string outbox = Path.Combine(_dataDirectory, "sms-outbox.jsonl");
        return File.Exists(outbox) ? File.ReadAllLines(outbox) : [];
    }

    /// <summary>Creates a video session as an officer and presses the caller's Start on its link (the token is the link's last segment).</summary>
    public async Task<RelaySession> CreateSessionAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { incident = "E2E-1", phone = "+447700900123", mode = "video", retention = "not-needed" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/sessions answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        string id = json.RootElement.GetProperty("id").GetString()!;
        string link = json.RootElement.GetProperty("link").GetString()!;
        string token = link[(link.LastIndexOf('/') + 1)..];
        using HttpResponseMessage started = await Http.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);
        string start = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, $"POST /c/{{token}}/start answered {(int)started.StatusCode}: {start}");
        using var startJson = JsonDocument.Parse(start);
        return new RelaySession(id, startJson.RootElement.GetProperty("callerKey").GetString()!);
    }

    /// <summary>
    /// Waits (up to 15 s, half the 30 s after which ICE consent would drop a silent viewer) until the relay
    /// counts <paramref name="viewers"/> viewers of <paramref name="sessionId"/> (<c>GET /api/sessions/{id}</c>).
    /// </summary>
    public async Task WaitForViewersAsync(string sessionId, int viewers)
    {
        int last = -1;
        for (int attempt = 0; attempt < 150; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{sessionId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            using HttpResponseMessage response = await Http.SendAsync(request);
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            last = json.RootElement.GetProperty("media").GetProperty("viewers").GetInt32();
            if (last == viewers)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The relay counted {last} viewers of {sessionId}, not {viewers}.");
    }

    /// <summary>/metrics, parsed into sums per metric name over all label sets.</summary>
    public async Task<PrometheusSample> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {body}");
        return PrometheusSample.Parse(body);
    }

    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            using HttpResponseMessage response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        _process.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner; the relay process is gone, so nothing holds it for long.
        }

        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_startTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The relay exited with {_process.ExitCode} while starting; see {LogPath}:\n{ReadLog()}");
            }

            if (await IsHealthyAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The relay did not answer /healthz within {s_startTimeout.TotalSeconds} s; see {LogPath}:\n{ReadLog()}");
    }

    private string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            string text = reader.ReadToEnd();
            return text.Length > 4000 ? text[^4000..] : text;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
