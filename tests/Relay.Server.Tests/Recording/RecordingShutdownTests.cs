using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Relay.Recording.Manifests;
using Relay.Server.Tests.Metrics;
using Relay.Server.Tests.Signalling;

namespace Relay.Server.Tests.Recording;

/// <summary>
/// A graceful stop (SIGTERM, as systemd and docker stop send) of a relay process with a live,
/// recorded stream: the recording is closed and its manifest signed by that run, not left open for
/// the next start's crash recovery.
/// </summary>
public sealed partial class RecordingShutdownTests
{
    [Fact]
    public async Task Sigterm_with_a_live_stream_closes_the_recording_and_signs_its_manifest()
    {
        string data = Directory.CreateTempSubdirectory("relay-shutdown-test-").FullName;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using Process relay = StartRelay(data, output, listening);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Uri baseAddress = await listening.Task.WaitAsync(timeout.Token);
            using var http = new HttpClient { BaseAddress = baseAddress };
            (string id, string callerKey) = await CreateStartedSessionAsync(http);

            await using var publisher = new TestWebRtcPeer();
            using var offer = new HttpRequestMessage(HttpMethod.Post, $"/whip/{id}") { Content = new StringContent(publisher.CreatePublishOffer(), Encoding.UTF8) };
            offer.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
            offer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", callerKey);
            HttpResponseMessage published = await http.SendAsync(offer, timeout.Token);
            string answer = await published.Content.ReadAsStringAsync(timeout.Token);
            Assert.True(published.StatusCode == HttpStatusCode.Created, answer);
            publisher.Connect(answer);
            await publisher.WaitConnectedAsync();

            const int Sent = 20;
            for (int i = 0; i < Sent; i++)
            {
                publisher.SendKeyframePacket();
                await Task.Delay(10, timeout.Token);
            }

            // Recorded (handed to the OS) before the stop, so the stream is live and its recording open.
            string metrics;
            do
            {
                await Task.Delay(20, timeout.Token);
                metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), timeout.Token);
            }
            while (MetricsEndpointTests.Value(metrics, "relay_recorded_packets_total") < Sent);

            Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_recordings_open"));

            Terminate(relay);
            await relay.WaitForExitAsync(timeout.Token);
            Assert.True(relay.ExitCode == 0, Describe(relay, output));

            string recording = Assert.Single(Directory.GetDirectories(Path.Combine(data, "recordings")));
            Assert.True(File.Exists(Path.Combine(recording, ManifestFiles.Signed)), "No signed manifest: " + Describe(relay, output));
            using var key = EvidenceSigningKey.LoadOrCreate(Path.Combine(data, "keys", "evidence-signing-key.pem"));
            ManifestVerification verification = ManifestVerifier.Verify(recording, key.PublicKey);
            Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
            Assert.False(verification.Manifest!.Recovered);
            Assert.Equal(id, verification.Manifest.SessionId);
            Assert.NotEmpty(verification.Manifest.Segments);
            Assert.Contains("manifest signed", Describe(relay, output), StringComparison.Ordinal);
        }
        finally
        {
            if (!relay.HasExited)
            {
                relay.Kill(entireProcessTree: true);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static Process StartRelay(string data, StringBuilder output, TaskCompletionSource<Uri> listening)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Relay.Server.dll"));
        foreach (string arg in TestRelay.DefaultArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--Logging:LogLevel:Default=Information");
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft=Warning");
        start.ArgumentList.Add("--Relay:DataDirectory=" + data);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            Match match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(string Id, string CallerKey)> CreateStartedSessionAsync(HttpClient http)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { incident = "INC-7", phone = "+447700900123", mode = "video", retention = "mopi-group-3" }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestRelay.OfficerKey);
        HttpResponseMessage created = await http.SendAsync(create);
        created.EnsureSuccessStatusCode();
        JsonElement body = await created.Content.ReadFromJsonAsync<JsonElement>();
        string link = body.GetProperty("link").GetString()!;
        HttpResponseMessage started = await http.PostAsync(new Uri($"/c/{link[(link.LastIndexOf('/') + 1)..]}/start", UriKind.Relative), null);
        string start = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, start);
        return (body.GetProperty("id").GetString()!, JsonDocument.Parse(start).RootElement.GetProperty("callerKey").GetString()!);
    }

    // Process.Kill sends SIGKILL; a graceful stop is SIGTERM.
    private static void Terminate(Process process)
    {
        using Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string Describe(Process process, StringBuilder output)
    {
        process.WaitForExit();
        lock (output)
        {
            return output.ToString();
        }
    }

    [GeneratedRegex(@"Relay is listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
