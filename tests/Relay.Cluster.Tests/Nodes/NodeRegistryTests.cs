using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;
using Relay.Testing;
using Relay.Testing.Time;

namespace Relay.Cluster.Tests.Nodes;

public sealed class NodeRegistryTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(s_start);
    private readonly ReadyConnections _connections = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _connections.CloseAllAsync();

    [Fact]
    public async Task APublishedNodeIsListedAsReportingWithItsFigures()
    {
        NodeRegistry registry = await RegistryAsync(Options("a"));
        NodeHeartbeat heartbeat = Heartbeat("node-a", streams: 3, viewers: 7);

        await registry.PublishAsync(heartbeat);
        ClusterNodeStatus node = Assert.Single(await registry.ListAsync());

        Assert.True(node.Reporting);
        Assert.Equal(heartbeat, node.Last);
    }

    [Fact]
    public async Task EveryNodeSeesEveryOtherNodeSortedByName()
    {
        ClusterOptions options = Options("b");
        NodeRegistry first = await RegistryAsync(options);
        NodeRegistry second = await RegistryAsync(options);

        await first.PublishAsync(Heartbeat("node-z", 1, 1));
        await second.PublishAsync(Heartbeat("node-m", 2, 2));

        Assert.Equal(["node-m", "node-z"], (await first.ListAsync()).Select(static n => n.Last.Node.NodeId));
        Assert.Equal(["node-m", "node-z"], (await second.ListAsync()).Select(static n => n.Last.Node.NodeId));
    }

    [Fact]
    public async Task ANodeWhoseHeartbeatsStopIsListedAsNoLongerReportingOnceItsTimeToLivePasses()
    {
        ClusterOptions options = Options("c");
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        options.HeartbeatsToLive = 2;
        NodeRegistry registry = await RegistryAsync(options);
        NodeHeartbeat heartbeat = Heartbeat("node-gone", 1, 0);

        await registry.PublishAsync(heartbeat);
        Assert.True(Assert.Single(await registry.ListAsync()).Reporting);

        // Redis expires the key on its own clock: nothing here compares two nodes' clocks.
        await Eventually.TrueAsync(async () => !Assert.Single(await registry.ListAsync()).Reporting, "the node is shown as no longer reporting");
        ClusterNodeStatus gone = Assert.Single(await registry.ListAsync());
        Assert.Equal(heartbeat, gone.Last);
    }

    [Fact]
    public async Task ANewHeartbeatReplacesTheLastOne()
    {
        NodeRegistry registry = await RegistryAsync(Options("d"));

        await registry.PublishAsync(Heartbeat("node-a", 1, 1));
        _time.Advance(TimeSpan.FromSeconds(10));
        NodeHeartbeat later = Heartbeat("node-a", 5, 9);
        await registry.PublishAsync(later);

        Assert.Equal(later, Assert.Single(await registry.ListAsync()).Last);
    }

    [Fact]
    public async Task ANodeThatLeavesIsNoLongerReportingAtOnce()
    {
        NodeRegistry registry = await RegistryAsync(Options("e"));
        await registry.PublishAsync(Heartbeat("node-a", 1, 1));

        await registry.LeaveAsync("node-a");

        Assert.False(Assert.Single(await registry.ListAsync()).Reporting);
    }

    [Fact]
    public async Task ANodeSilentForLongerThanForgetAfterIsForgotten()
    {
        ClusterOptions options = Options("f");
        options.ForgetAfter = TimeSpan.FromMinutes(30);
        NodeRegistry registry = await RegistryAsync(options);
        await registry.PublishAsync(Heartbeat("node-old", 1, 1));
        await registry.LeaveAsync("node-old");

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Single(await registry.ListAsync());
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await registry.ListAsync());
        Assert.Equal(":0\r\n", await redis.CommandAsync("HLEN", "f:nodes"));
    }

    [Fact]
    public async Task AReportingNodeIsNeverForgottenWhateverItsClockSays()
    {
        ClusterOptions options = Options("g");
        options.ForgetAfter = TimeSpan.FromMinutes(1);
        NodeRegistry registry = await RegistryAsync(options);
        await registry.PublishAsync(Heartbeat("node-slow-clock", 1, 1));

        _time.Advance(TimeSpan.FromHours(2));

        Assert.True(Assert.Single(await registry.ListAsync()).Reporting);
    }

    [Fact]
    public async Task ClustersWithDifferentPrefixesDoNotSeeEachOther()
    {
        NodeRegistry one = await RegistryAsync(Options("h1"));
        NodeRegistry two = await RegistryAsync(Options("h2"));

        await one.PublishAsync(Heartbeat("node-1", 1, 1));

        Assert.Single(await one.ListAsync());
        Assert.Empty(await two.ListAsync());
    }

    [Fact]
    public async Task RecordsThatCannotBeReadAreLeftOutAndLoggedNeverThrown()
    {
        var logger = new RecordingLogger<NodeRegistry>();
        ClusterOptions options = Options("i");
        NodeRegistry registry = await RegistryAsync(options, logger);
        NodeHeartbeat valid = Heartbeat("node-ok", 1, 1);
        await registry.PublishAsync(valid);
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Heartbeat("node-bad", 1, 1), JsonOptions));

        var hostile = new List<string> { "", "null", "{}", "[]", "\"text\"", "{\"node\":null,\"figures\":null}", "\u00ff\u0000garbage" };
        foreach (byte[] truncated in HostileInput.Truncations(json))
        {
            hostile.Add(Encoding.UTF8.GetString(truncated));
        }

        // A record filed under one node id that claims to be another node is not believed.
        hostile.Add(JsonSerializer.Serialize(Heartbeat("node-other", 1, 1), JsonOptions));
        foreach (string value in hostile)
        {
            await redis.CommandAsync("HSET", "i:nodes", "node-bad", value);
            ClusterNodeStatus only = Assert.Single(await registry.ListAsync());
            Assert.Equal(valid, only.Last);
        }

        Assert.All(logger.Entries, static e => Assert.Equal(910, e.EventId));
        Assert.NotEmpty(logger.Entries);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static ClusterOptions Options(string prefix) => new() { Redis = "unused", KeyPrefix = prefix + ":" };

    private NodeHeartbeat Heartbeat(string nodeId, int streams, int viewers)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return new NodeHeartbeat(
            new NodeRegistration(nodeId, "Name " + nodeId, "127.0.0.1:40000", "http://127.0.0.1:8080", "1.0.0", s_start),
            new NodeFigures(now, streams, viewers, 100.5, 700.25, 0.5, 1.25, 12.5, 150L * 1024 * 1024),
            now);
    }

    private async Task<NodeRegistry> RegistryAsync(ClusterOptions options, RecordingLogger<NodeRegistry>? logger = null)
    {
        RedisConnection connection = await _connections.OpenAsync(_time);
        return new NodeRegistry(connection, options, _time, (Microsoft.Extensions.Logging.ILogger<NodeRegistry>?)logger ?? NullLogger<NodeRegistry>.Instance);
    }
}
