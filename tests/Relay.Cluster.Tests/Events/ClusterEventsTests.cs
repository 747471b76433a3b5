using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Cluster.Events;
using Relay.Cluster.Redis;

namespace Relay.Cluster.Tests.Events;

public sealed class ClusterEventsTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly ReadyConnections _connections = new(redis);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _connections.CloseAllAsync();

    [Fact]
    public async Task AMessageOneNodePublishesReachesEveryNodeSubscribed()
    {
        var options = new ClusterOptions { Redis = redis.Configuration };
        ClusterEvents sender = await EventsAsync(options);
        ClusterEvents first = await EventsAsync(options);
        ClusterEvents second = await EventsAsync(options);
        var a = new ConcurrentQueue<string>();
        var b = new ConcurrentQueue<string>();
        await first.SubscribeAsync("tuning", a.Enqueue);
        await second.SubscribeAsync("tuning", b.Enqueue);

        long receivers = await sender.PublishAsync("tuning", "reload from node-a");

        Assert.Equal(2, receivers);
        await Eventually.TrueAsync(() => a.Count == 1 && b.Count == 1, "both subscribers got the message");
        Assert.Equal("reload from node-a", Assert.Single(a));
        Assert.Equal("reload from node-a", Assert.Single(b));
    }

    [Fact]
    public async Task AChannelIsPrefixedSoOtherClustersAndChannelsHearNothing()
    {
        ClusterEvents sender = await EventsAsync(new ClusterOptions { Redis = redis.Configuration, KeyPrefix = "one:" });
        ClusterEvents otherCluster = await EventsAsync(new ClusterOptions { Redis = redis.Configuration, KeyPrefix = "two:" });
        var heard = new ConcurrentQueue<string>();
        await otherCluster.SubscribeAsync("tuning", heard.Enqueue);
        await otherCluster.SubscribeAsync("other", heard.Enqueue);

        Assert.Equal(0, await sender.PublishAsync("tuning", "reload"));
        Assert.Equal(":1\r\n", await redis.CommandAsync("PUBLISH", "two:tuning", "direct"));
        await Eventually.TrueAsync(() => !heard.IsEmpty, "the direct message arrived");
        Assert.Equal("direct", Assert.Single(heard));
    }

    [Fact]
    public async Task AHandlerThatThrowsIsLoggedAndLaterMessagesStillArrive()
    {
        var options = new ClusterOptions { Redis = redis.Configuration, KeyPrefix = "throw:" };
        var logger = new RecordingLogger<ClusterEvents>();
        ClusterEvents sender = await EventsAsync(options);
        ClusterEvents receiver = await EventsAsync(options, logger);
        var heard = new ConcurrentQueue<string>();
        await receiver.SubscribeAsync("tuning", message =>
        {
            heard.Enqueue(message);
            if (message == "bad")
            {
                throw new InvalidOperationException("handler failed");
            }
        });

        await sender.PublishAsync("tuning", "bad");
        await sender.PublishAsync("tuning", "good");

        await Eventually.TrueAsync(() => heard.Count == 2, "both messages reached the handler");
        Assert.Contains(logger.Entries, static e => e.EventId == 920);
    }

    private async Task<ClusterEvents> EventsAsync(ClusterOptions options, RecordingLogger<ClusterEvents>? logger = null)
    {
        RedisConnection connection = await _connections.OpenAsync(TimeProvider.System);
        return new ClusterEvents(connection, options, (Microsoft.Extensions.Logging.ILogger<ClusterEvents>?)logger ?? NullLogger<ClusterEvents>.Instance);
    }
}
