using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Accessibility;
using Relay.EndToEnd.Tests.Infrastructure;
using Relay.EndToEnd.Tests.Portal;

namespace Relay.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 6's charts of the last hour for every node: node-b streams (GStreamer publishing over WHIP to node-b only),
/// and node-a's Nodes page (Chromium) charts node-b's last hour from the history node-b's heartbeats leave in Redis,
/// node-b's stream and packets, not node-a's; a node started after node-b's samples were taken charts them too (the
/// history does not depend on how long the serving node has been up); and with Redis gone node-a says so and charts
/// its own samples.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class ClusterNodeChartsTests(ChromiumFixture chromium, ClusterRelayFixture cluster) : IClassFixture<ClusterRelayFixture>
{
    [Fact(Timeout = 2 * TestTimeouts.Test)]
    public async Task NodeAChartsNodeBsLastHourFromRedis_ALateNodeChartsItToo_AndWithoutRedisNodeAChartsItself()
    {
        RelaySession session = await cluster.B.CreateSessionAsync();
        await using GStreamerPublisher publisher = GStreamerPublisher.Start(cluster.B, session, TimeSpan.FromSeconds(120), "cluster-charts-publisher");
        await publisher.WaitUntilConnectedAsync(TimeSpan.FromSeconds(20));

        var axe = new AxeCheck();
        await using var portal = new PortalBrowser(chromium, cluster.A);
        IPage page = await portal.SignInAsync(ClusterRelayFixture.Admin, ClusterRelayFixture.Password);
        await PortalBrowser.OpenAsync(page, "/portal/nodes");

        // By default this node's charts, from its own history in Redis once its first heartbeat is stored.
        ILocator history = page.Locator("#history");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-node", "node-a");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-source", "cluster");
        await Assertions.Expect(page.Locator("#history-heading")).ToHaveTextAsync("The last hour of node-a (this node)");

        // node-b streams, node-a does not: the table's latest figures say so first.
        await Assertions.Expect(page.Locator("#cluster tr[data-node='node-b'] [data-figure=streams]")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#cluster tr[data-node='node-a'] [data-figure=streams]")).ToHaveTextAsync("0");

        // Picked from the keyboard: focus the select and choose node-b with the arrow keys.
        ILocator picker = page.GetByLabel("Charts of node");
        await picker.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(picker).ToHaveValueAsync("node-b");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-node", "node-b");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-source", "cluster");
        await Assertions.Expect(page.Locator("#history-heading")).ToHaveTextAsync("The last hour of node-b");
        await Assertions.Expect(page.Locator("#history-source")).ToContainTextAsync("node-b's heartbeats of the last hour");

        // node-b's charts carry node-b's figures: its one stream and the packets GStreamer sends it, which node-a never sees.
        await Assertions.Expect(page.Locator("#chart-streams-summary")).ToContainTextAsync(new Regex(@"now 1, lowest [01], highest 1 \(\d+ samples?\)\.$"), new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#chart-packets-in-summary")).ToContainTextAsync(new Regex(@"now [1-9]\d*/s"), new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#chart-streams polyline")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#chart-streams").GetByRole(AriaRole.Img)).ToHaveAccessibleNameAsync("Streams");
        Assert.Equal(0, await NodeAsStreamsAsync());

        await page.GetByText("The same hour as a table").ClickAsync();
        ILocator rows = page.Locator("#history-table tbody tr");
        Assert.True(await rows.CountAsync() >= 2, "node-b's table has fewer than two samples.");
        Assert.Equal("1", await rows.First.Locator("td").First.InnerTextAsync());
        await PortalBrowser.ScreenshotAsync(page, "nodes-cluster-node-b-charts");
        await axe.CheckAsync(page, "/portal/nodes charting node-b with the table open");

        int samplesOfB = await SampleCountAsync(page);

        // A node started now has sampled nothing of node-b, yet charts every sample node-b had before it started.
        await using (RelayServer late = await cluster.StartNodeAsync("node-c"))
        {
            await using var latePortal = new PortalBrowser(chromium, late);
            IPage latePage = await latePortal.SignInAsync(ClusterRelayFixture.Admin, ClusterRelayFixture.Password);
            await PortalBrowser.OpenAsync(latePage, "/portal/nodes?node=node-b");
            await Assertions.Expect(latePage.Locator("#history")).ToHaveAttributeAsync("data-node", "node-b");
            await Assertions.Expect(latePage.Locator("#history")).ToHaveAttributeAsync("data-source", "cluster");
            // node-b's stream is in it (node-b's WHIP peer may have lost ICE consent by now: GStreamer's libnice does not refresh it).
            await Assertions.Expect(latePage.Locator("#chart-streams-summary")).ToContainTextAsync(new Regex(@"highest 1 \(\d+ samples\)\.$"));
            Assert.True(await SampleCountAsync(latePage) >= samplesOfB, $"node-c charts fewer of node-b's samples than node-a did ({samplesOfB}).");
            await PortalBrowser.ScreenshotAsync(latePage, "nodes-cluster-late-node-charts-node-b");
        }

        // Back to node-a from the keyboard: its own charts, with no stream in its last hour.
        await picker.FocusAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-node", "node-a");
        await Assertions.Expect(page.Locator("#chart-streams-summary")).ToContainTextAsync(new Regex(@"now 0, lowest 0, highest 0 \("));

        // node-b picked again, then Redis goes: node-a says so and charts its own samples from this process.
        await picker.SelectOptionAsync("node-b");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-node", "node-b");
        cluster.KillRedis();
        await Assertions.Expect(page.Locator("#history-problem")).ToContainTextAsync("The history of node-b cannot be read from Redis now", new() { Timeout = 20_000 });
        await Assertions.Expect(history).ToHaveAttributeAsync("data-node", "node-a");
        await Assertions.Expect(history).ToHaveAttributeAsync("data-source", "this-process");
        await Assertions.Expect(page.Locator("#cluster-problem")).ToContainTextAsync("This node cannot reach the cluster's Redis");
        await Assertions.Expect(page.Locator("#chart-memory-summary")).ToContainTextAsync(new Regex(@"now [1-9]\d* MiB"));
        await Assertions.Expect(picker).ToHaveValueAsync("node-b");
        await PortalBrowser.ScreenshotAsync(page, "nodes-cluster-charts-redis-down");
        await axe.CheckAsync(page, "/portal/nodes with Redis down");
        axe.AssertClean();
    }

    private static async Task<int> SampleCountAsync(IPage page)
    {
        string summary = await page.Locator("#chart-streams-summary").InnerTextAsync();
        Match match = SampleCount().Match(summary);
        Assert.True(match.Success, $"The streams chart's summary gives no sample count: {summary}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // node-a's own stream count from /metrics: the stream is node-b's alone.
    private async Task<int> NodeAsStreamsAsync()
    {
        PrometheusSample metrics = await cluster.A.ScrapeAsync();
        Assert.True(metrics.Has("relay_streams"), "node-a's /metrics has no relay_streams.");
        return (int)metrics.Sum("relay_streams");
    }

    [GeneratedRegex(@"\((\d+) samples?\)\.$")]
    private static partial Regex SampleCount();
}
