using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;
using Relay.EndToEnd.Tests.Portal;

namespace Relay.EndToEnd.Tests.Cluster;

/// <summary>
/// Two relay processes sharing one redis-server, one database and one evidence folder: node-a's Nodes page (Chromium)
/// lists node-b with the figures of its heartbeat; a tuning change made through node-a's API is in force on node-b
/// without a restart; and when node-b is killed, node-a's page says it stopped reporting within its heartbeats' time to live.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ClusterTests(ChromiumFixture chromium, ClusterRelayFixture cluster) : IClassFixture<ClusterRelayFixture>
{
    private const string TokenLifetime = "Relay:Sessions:CallerTokenLifetime";

    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task NodeAShowsNodeB_ATuningChangeOnAIsInForceOnB_AndAKilledBIsShownGone()
    {
        await using var portal = new PortalBrowser(chromium, cluster.A);
        IPage page = await portal.SignInAsync(ClusterRelayFixture.Admin, ClusterRelayFixture.Password);
        await PortalBrowser.OpenAsync(page, "/portal/nodes");

        // Both nodes, from their heartbeats through Redis; node-b's figures are its own (a process has memory and a start time).
        ILocator a = page.Locator("#cluster tr[data-node='node-a']");
        ILocator b = page.Locator("#cluster tr[data-node='node-b']");
        await Assertions.Expect(a).ToContainTextAsync("node-a (this node)");
        await Assertions.Expect(b).ToHaveAttributeAsync("data-reporting", "true");
        await Assertions.Expect(b.Locator("td").First).ToHaveTextAsync("reporting");
        await Assertions.Expect(b.Locator("[data-figure=memory]")).ToHaveTextAsync(new Regex(@"^[1-9]\d* MiB$"));
        await Assertions.Expect(b.Locator("[data-figure=streams]")).ToHaveTextAsync("0");
        await Assertions.Expect(b.Locator("[data-figure=loss]")).ToHaveTextAsync(new Regex(@"^\d+\.\d \(\d+\.\d %\)$"));
        await Assertions.Expect(b.Locator("[data-figure=heartbeat]")).ToHaveTextAsync(new Regex(@"^\d\d:\d\d:\d\d \(\d+ s ago\)$"));
        await Assertions.Expect(page.Locator("#cluster caption")).ToContainTextAsync("2 of 2 nodes reporting");
        await Assertions.Expect(page.Locator("#cluster-problem")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#chart-loss")).ToHaveCountAsync(1);
        await PortalBrowser.ScreenshotAsync(page, "nodes-cluster");

        // A change made on node-a: stored in the shared database, announced through Redis, reloaded by node-b at once
        // (its periodic reload is an hour away), with no restart.
        Assert.Equal("00:30:00", await TunedValueAsync(cluster.B));
        using (var change = new HttpRequestMessage(HttpMethod.Put, "/api/tuning/" + TokenLifetime)
        {
            Content = JsonContent.Create(new { value = "00:05:00", reason = "Cluster test: shorter links on every node" }),
        })
        {
            change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.OperatorKey);
            using HttpResponseMessage changed = await cluster.A.Http.SendAsync(change);
            Assert.True(changed.IsSuccessStatusCode, $"PUT /api/tuning on node-a answered {(int)changed.StatusCode}: {await changed.Content.ReadAsStringAsync()}");
        }

        string onB = "";
        for (int i = 0; i < 100 && onB != "00:05:00"; i++)
        {
            await Task.Delay(100);
            onB = await TunedValueAsync(cluster.B);
        }

        Assert.Equal("00:05:00", onB);
        // In force, not only listed: node-b's next caller link lives five minutes.
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { incident = "E2E-CLUSTER", phone = "+447700900123", mode = "video", retention = "not-needed" }),
        })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.B.ApiKey);
            using HttpResponseMessage created = await cluster.B.Http.SendAsync(create);
            string body = await created.Content.ReadAsStringAsync();
            Assert.True(created.IsSuccessStatusCode, $"POST /api/sessions on node-b answered {(int)created.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            DateTimeOffset expiresAt = json.RootElement.GetProperty("expiresAt").GetDateTimeOffset();
            Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }

        // Killed, so it cannot say goodbye: node-a shows it gone once its heartbeat's 3 s time to live has passed.
        await cluster.KillBAsync();
        await Assertions.Expect(b).ToHaveAttributeAsync("data-reporting", "false", new() { Timeout = 15_000 });
        await Assertions.Expect(b.Locator("td").First).ToHaveTextAsync("stopped reporting");
        await Assertions.Expect(page.Locator("[data-gone='node-b']")).ToContainTextAsync(new Regex(@"^Node node-b stopped reporting: its last heartbeat was at \d\d:\d\d:\d\d \(\d+ s ago\)\.$"));
        await Assertions.Expect(page.Locator("#cluster caption")).ToContainTextAsync("1 of 2 nodes reporting");
        await Assertions.Expect(a).ToHaveAttributeAsync("data-reporting", "true");
        await PortalBrowser.ScreenshotAsync(page, "nodes-cluster-node-gone");

        using HttpResponseMessage health = await cluster.A.Http.GetAsync(new Uri("/healthz/cluster", UriKind.Relative));
        using var healthJson = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.True(healthJson.RootElement.GetProperty("connected").GetBoolean());
        Assert.Equal("node-a", healthJson.RootElement.GetProperty("nodeId").GetString());

        // Redis itself goes: node-a says so on the page and in /healthz/cluster, and goes on serving.
        cluster.KillRedis();
        await Assertions.Expect(page.Locator("#cluster-problem")).ToContainTextAsync("This node cannot reach the cluster's Redis", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#cluster-problem")).Not.ToContainTextAsync("buffer");
        await Assertions.Expect(a).ToBeVisibleAsync();
        await PortalBrowser.ScreenshotAsync(page, "nodes-cluster-redis-down");
        Assert.True(await cluster.A.IsHealthyAsync(), "/healthz on node-a failed while Redis was down.");
        using HttpResponseMessage down = await cluster.A.Http.GetAsync(new Uri("/healthz/cluster", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, down.StatusCode);
        using var downJson = JsonDocument.Parse(await down.Content.ReadAsStringAsync());
        Assert.False(downJson.RootElement.GetProperty("connected").GetBoolean());
        Assert.StartsWith("The cluster's Redis is unreachable", downJson.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("00:05:00", await TunedValueAsync(cluster.A));
    }

    private async Task<string> TunedValueAsync(RelayServer node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tuning");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.OperatorKey);
        using HttpResponseMessage response = await node.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/tuning answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        foreach (JsonElement setting in json.RootElement.EnumerateArray())
        {
            if (setting.GetProperty("key").GetString() == TokenLifetime)
            {
                return setting.GetProperty("value").GetString()!;
            }
        }

        throw new Xunit.Sdk.XunitException($"GET /api/tuning lists no {TokenLifetime}: {body}");
    }
}
