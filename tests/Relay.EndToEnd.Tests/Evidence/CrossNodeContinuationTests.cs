using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Relay.EndToEnd.Tests.Portal;

namespace Relay.EndToEnd.Tests.Evidence;

/// <summary>
/// A caller whose connection moves to another node (a load balancer sending the phone's next WHIP
/// request elsewhere): two relay processes share one database and one evidence store, as nodes of
/// one force do. The caller publishes to node A, its connection drops, and it publishes again to
/// node B with the same caller key. The session's evidence item then holds both recordings, one per
/// node, and its exported bundle plays both, verifies offline, and says when nothing was recorded
/// between them and why.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CrossNodeContinuationTests(ChromiumFixture chromium)
{
    private const string Admin = "two-node-admin";
    private const string EvidenceManager = "two-node-evidence";
    private const string Password = "two node end to end passphrase";

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task A_caller_who_reconnects_to_another_node_continues_the_same_evidence_item_with_the_gap_recorded()
    {
        string shared = Directory.CreateTempSubdirectory("relay-two-nodes-").FullName;
        try
        {
            string[] common =
            [
                "--Relay:Database:Path=" + Path.Combine(shared, "relay.db"),
                "--Relay:Evidence:Store:filesystem:Root=" + Path.Combine(shared, "evidence"),
                // The stream on the node the caller left ends (and its recording closes) soon after.
                "--Relay:Media:PublisherGracePeriod=00:00:02",
            ];
            await using RelayServer a = await RelayServer.StartAsync("node-a", [.. common, "--Relay:NodeId=node-a", "--RELAY_ADMIN_USER=" + Admin, "--RELAY_ADMIN_PASSWORD=" + Password]);
            await using RelayServer b = await RelayServer.StartAsync("node-b", [.. common, "--Relay:NodeId=node-b"]);

            RelaySession session = await a.CreateSessionAsync();
            await PublishAsync(a, session, "two-nodes-publisher-a");
            await PublishAsync(b, session, "two-nodes-publisher-b");

            using HttpClient manager = await SignInEvidenceManagerAsync(a);
            JsonElement item = await WaitForRecordingsAsync(manager, session.Id, count: 2);
            JsonElement[] recordings = [.. item.GetProperty("recordings").EnumerateArray()];
            Assert.Equal(["node-a", "node-b"], recordings.Select(r => r.GetProperty("nodeId").GetString()));

            using HttpResponseMessage export = await manager.PostAsJsonAsync($"/api/evidence/{session.Id}/export", new { reason = "Two-node continuity check", recipient = "Test" });
            Assert.True(export.IsSuccessStatusCode, $"Export answered {(int)export.StatusCode}: {await export.Content.ReadAsStringAsync()}");
            string zip = Path.Combine(Repository.Artifacts, $"two-nodes-{session.Id}.zip");
            await File.WriteAllBytesAsync(zip, await export.Content.ReadAsByteArrayAsync());

            (int exit, string output) = await RunAsync("dotnet", Repository.ServerAssembly, "verify", zip);
            Assert.True(exit == 0, $"verify answered {exit}:\n{output}");

            using ZipArchive archive = ZipFile.OpenRead(zip);
            using var itemJson = JsonDocument.Parse(await ReadEntryAsync(archive, "item.json"));
            Assert.Equal(["node-a", "node-b"], itemJson.RootElement.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("nodeId").GetString()));
            Assert.Equal(2, archive.Entries.Count(e => e.FullName.EndsWith("/recording.webm", StringComparison.Ordinal)));
            string readme = await ReadEntryAsync(archive, "README.txt");
            Assert.Matches(@"before it, nothing was recorded from \S+ to \S+ \(\d+\.\d s\): the caller's connection ended and a new one began, on another node", readme);
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    private static async Task PublishAsync(RelayServer node, RelaySession session, string name)
    {
        await using GStreamerPublisher publisher = GStreamerPublisher.Start(node, session, TimeSpan.FromSeconds(3), name);
        await publisher.WaitUntilConnectedAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, await publisher.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<HttpClient> SignInEvidenceManagerAsync(RelayServer node)
    {
        await using (var portal = new PortalBrowser(chromium, node))
        {
            IPage page = await portal.SignInAsync(Admin, Password);
            await PortalBrowser.OpenAsync(page, "/portal/users");
            await PortalBrowser.CreateUserAsync(page, EvidenceManager, "evidence-manager", Password);
        }

        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = node.BaseAddress };
        using HttpResponseMessage signIn = await http.PostAsJsonAsync("/api/login", new { username = EvidenceManager, password = Password });
        Assert.True(signIn.IsSuccessStatusCode, $"Sign-in answered {(int)signIn.StatusCode}.");
        return http;
    }

    // Both recordings closed (their manifests signed) and stored; node B's closes a grace period after its publisher left.
    private static async Task<JsonElement> WaitForRecordingsAsync(HttpClient http, string id, int count)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri($"/api/evidence/{id}", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                JsonElement item = JsonDocument.Parse(last).RootElement;
                JsonElement[] recordings = [.. item.GetProperty("recordings").EnumerateArray()];
                if (recordings.Length == count && recordings.All(r => r.TryGetProperty("storedAt", out JsonElement stored) && stored.ValueKind == JsonValueKind.String))
                {
                    return item;
                }
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"Item {id} did not get {count} stored recordings in 45 s; last answer: {last}");
    }

    private static async Task<string> ReadEntryAsync(ZipArchive archive, string suffix)
    {
        ZipArchiveEntry entry = archive.Entries.Single(e => e.FullName.EndsWith(suffix, StringComparison.Ordinal));
        using var reader = new StreamReader(entry.Open());
        return await reader.ReadToEndAsync();
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
