using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;
using Relay.Testing;
using Relay.Testing.Time;

namespace Relay.Cluster.Tests.Nodes;

public sealed class NodeHistoryLogTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly ManualTimeProvider _time = new(s_start);
    private readonly ReadyConnections _connections = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _connections.CloseAllAsync();

    [Fact]
    public async Task AppendedFiguresAreReadBackOldestFirstByAnyNode()
    {
        ClusterOptions options = Options("ha");
        NodeHistoryLog writer = await LogAsync(options);
        NodeHistoryLog reader = await LogAsync(options);
        NodeFigures[] written = [Figures(0, streams: 1), Figures(10, streams: 2), Figures(20, streams: 3)];

        foreach (NodeFigures figures in written)
        {
            await writer.AppendAsync("node-b", figures);
        }

        NodeHistorySamples read = await reader.ReadAsync("node-b");
        Assert.Equal(written, read.Samples);
        Assert.Equal(0, read.Unreadable);
    }

    [Fact]
    public async Task ANodeWithNoHistoryHasNoSamples()
    {
        NodeHistoryLog log = await LogAsync(Options("hb"));

        NodeHistorySamples read = await log.ReadAsync("node-never-seen");

        Assert.Empty(read.Samples);
        Assert.Equal(0, read.Unreadable);
    }

    [Fact]
    public async Task EachNodeHasItsOwnHistory()
    {
        NodeHistoryLog log = await LogAsync(Options("hc"));

        await log.AppendAsync("node-a", Figures(0, streams: 0));
        await log.AppendAsync("node-b", Figures(0, streams: 4));

        Assert.Equal(0, Assert.Single((await log.ReadAsync("node-a")).Samples).Streams);
        Assert.Equal(4, Assert.Single((await log.ReadAsync("node-b")).Samples).Streams);
    }

    [Fact]
    public async Task TheHistoryIsTrimmedToAnHourOfHeartbeatsKeepingTheNewest()
    {
        ClusterOptions options = Options("hd");
        options.HeartbeatInterval = TimeSpan.FromMinutes(10);
        NodeHistoryLog log = await LogAsync(options);
        Assert.Equal(6, log.Capacity);

        for (int i = 0; i < 9; i++)
        {
            await log.AppendAsync("node-a", Figures(i * 600, streams: i));
        }

        Assert.Equal(":6\r\n", await redis.CommandAsync("LLEN", "hd:node-history:node-a"));
        Assert.Equal([3, 4, 5, 6, 7, 8], (await log.ReadAsync("node-a")).Samples.Select(static s => s.Streams));
    }

    [Theory]
    [InlineData(10, 360)]
    [InlineData(5, 720)]
    [InlineData(1, NodeHistoryLog.MaxSamples)]
    [InlineData(3600, 1)]
    [InlineData(7200, 1)]
    [InlineData(0, NodeHistoryLog.MaxSamples)]
    public void TheCapacityIsAnHourOfHeartbeatsButNeverMoreThanTheBound(int heartbeatSeconds, int capacity) =>
        Assert.Equal(capacity, NodeHistoryLog.CapacityFor(TimeSpan.FromSeconds(heartbeatSeconds)));

    [Fact]
    public async Task AFastHeartbeatStillKeepsNoMoreThanTheBound()
    {
        ClusterOptions options = Options("he");
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        NodeHistoryLog log = await LogAsync(options);

        for (int i = 0; i < NodeHistoryLog.MaxSamples + 30; i++)
        {
            await log.AppendAsync("node-a", Figures(i, streams: i));
        }

        Assert.Equal($":{NodeHistoryLog.MaxSamples}\r\n", await redis.CommandAsync("LLEN", "he:node-history:node-a"));
        NodeHistorySamples read = await log.ReadAsync("node-a");
        Assert.Equal(NodeHistoryLog.MaxSamples, read.Samples.Count);
        Assert.Equal(NodeHistoryLog.MaxSamples + 29, read.Samples[^1].Streams);
    }

    [Fact]
    public async Task TheHistoryExpiresAnHourAfterTheNodesLastHeartbeat()
    {
        NodeHistoryLog log = await LogAsync(Options("hf"));

        await log.AppendAsync("node-a", Figures(0, streams: 1));

        // Redis's own clock: the key goes an hour after the last append, whatever the node's clock says.
        long ttl = long.Parse((await redis.CommandAsync("TTL", "hf:node-history:node-a")).Trim(':', '\r', '\n'), CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 3590, 3600);

        // And it does expire: shortened here to a moment rather than waiting an hour.
        await redis.CommandAsync("PEXPIRE", "hf:node-history:node-a", "50");
        await Eventually.TrueAsync(async () => (await log.ReadAsync("node-a")).Samples.Count == 0, "the history expired");
    }

    [Fact]
    public async Task EachAppendPushesTheExpiryBackAgain()
    {
        NodeHistoryLog log = await LogAsync(Options("hg"));
        await log.AppendAsync("node-a", Figures(0, streams: 1));
        await redis.CommandAsync("EXPIRE", "hg:node-history:node-a", "5");

        await log.AppendAsync("node-a", Figures(10, streams: 1));

        long ttl = long.Parse((await redis.CommandAsync("TTL", "hg:node-history:node-a")).Trim(':', '\r', '\n'), CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 3590, 3600);
    }

    [Fact]
    public async Task SamplesMoreThanAnHourOlderThanTheNewestAreLeftOut()
    {
        NodeHistoryLog log = await LogAsync(Options("hh"));

        // A node that was down for a while keeps its id, and its list holds samples from before the gap.
        await log.AppendAsync("node-a", Figures(0, streams: 1));
        await log.AppendAsync("node-a", Figures(4000, streams: 2));
        await log.AppendAsync("node-a", Figures(5000, streams: 3));

        Assert.Equal([2, 3], (await log.ReadAsync("node-a")).Samples.Select(static s => s.Streams));
    }

    [Fact]
    public async Task SamplesAreReadInTimeOrderEvenIfTheNodesClockSteppedBack()
    {
        NodeHistoryLog log = await LogAsync(Options("hi"));

        await log.AppendAsync("node-a", Figures(20, streams: 3));
        await log.AppendAsync("node-a", Figures(0, streams: 1));
        await log.AppendAsync("node-a", Figures(10, streams: 2));

        Assert.Equal([1, 2, 3], (await log.ReadAsync("node-a")).Samples.Select(static s => s.Streams));
    }

    [Fact]
    public async Task RecordsThatCannotBeReadAreCountedAndLeftOutAndLoggedNeverThrown()
    {
        var logger = new RecordingLogger<NodeHistoryLog>();
        NodeHistoryLog log = await LogAsync(Options("hj"), logger);
        NodeFigures valid = Figures(0, streams: 2);
        await log.AppendAsync("node-a", valid);
        string json = JsonSerializer.Serialize(Figures(5, streams: 1), s_json);

        var hostile = new List<string>
        {
            "", "null", "{}", "[]", "\"text\"", "42", "\u00ff\u0000garbage", new string('x', 10_000),
            json.Replace("\"streams\":1", "\"streams\":-1", StringComparison.Ordinal),
            json.Replace("\"cpuPercent\":12.5", "\"cpuPercent\":-3", StringComparison.Ordinal),
            json.Replace("\"packetsInPerSecond\":100.5", "\"packetsInPerSecond\":\"NaN\"", StringComparison.Ordinal),
            json.Replace("\"memoryBytes\":157286400", "\"memoryBytes\":-1", StringComparison.Ordinal),
        };
        foreach (byte[] truncated in HostileInput.Truncations(Encoding.UTF8.GetBytes(json)))
        {
            hostile.Add(Encoding.UTF8.GetString(truncated));
        }

        foreach (string value in hostile)
        {
            Assert.StartsWith(":", await redis.CommandAsync("RPUSH", "hj:node-history:node-a", value), StringComparison.Ordinal);
        }

        NodeHistorySamples read = await log.ReadAsync("node-a");

        Assert.Equal(valid, Assert.Single(read.Samples));
        Assert.Equal(hostile.Count, read.Unreadable);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(911, entry.EventId);
        Assert.Contains($"{hostile.Count} of the {hostile.Count + 1} history records of node node-a", entry.Message, StringComparison.Ordinal);

        // Read again by a page refreshing: the same damage is not logged again until it changes.
        Assert.Equal(hostile.Count, (await log.ReadAsync("node-a")).Unreadable);
        Assert.Single(logger.Entries);
        await redis.CommandAsync("RPUSH", "hj:node-history:node-a", "{");
        Assert.Equal(hostile.Count + 1, (await log.ReadAsync("node-a")).Unreadable);
        Assert.Equal(2, logger.Entries.Count);
    }

    [Fact]
    public async Task AKeyOfAnotherKindIsUnreadableAndTheNextAppendStartsTheHistoryAgain()
    {
        var logger = new RecordingLogger<NodeHistoryLog>();
        NodeHistoryLog log = await LogAsync(Options("hk"), logger);
        await redis.CommandAsync("SET", "hk:node-history:node-a", "not a list");

        NodeHistorySamples read = await log.ReadAsync("node-a");
        Assert.Empty(read.Samples);
        Assert.Equal(1, read.Unreadable);

        NodeFigures figures = Figures(0, streams: 5);
        await log.AppendAsync("node-a", figures);
        Assert.Equal(figures, Assert.Single((await log.ReadAsync("node-a")).Samples));
        Assert.Contains(logger.Entries, static e => e.EventId == 912);
    }

    [Fact]
    public async Task ClustersWithDifferentPrefixesDoNotSeeEachOthersHistory()
    {
        NodeHistoryLog one = await LogAsync(Options("hl1"));
        NodeHistoryLog two = await LogAsync(Options("hl2"));

        await one.AppendAsync("node-a", Figures(0, streams: 1));

        Assert.Single((await one.ReadAsync("node-a")).Samples);
        Assert.Empty((await two.ReadAsync("node-a")).Samples);
    }

    private static ClusterOptions Options(string prefix) => new() { Redis = "unused", KeyPrefix = prefix + ":" };

    private static NodeFigures Figures(int seconds, int streams) =>
        new(s_start.AddSeconds(seconds), streams, streams * 2, 100.5, 700.25, 0.5, 1.25, 12.5, 150L * 1024 * 1024);

    private async Task<NodeHistoryLog> LogAsync(ClusterOptions options, RecordingLogger<NodeHistoryLog>? logger = null)
    {
        RedisConnection connection = await _connections.OpenAsync(_time);
        return new NodeHistoryLog(connection, options, (Microsoft.Extensions.Logging.ILogger<NodeHistoryLog>?)logger ?? NullLogger<NodeHistoryLog>.Instance);
    }
}
