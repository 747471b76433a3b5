using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;

namespace Relay.Cluster.Tests.Redis;

public sealed class RedisConnectionTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ConnectingReturnsAtOnceAndTheStatusSaysWhenRedisAnswers()
    {
        var logger = new RecordingLogger<RedisConnection>();
        await using var connection = new RedisConnection(redis.Configuration, TimeProvider.System, logger);
        Assert.False(connection.Status.Connected);

        connection.Start();

        await Eventually.TrueAsync(() => connection.Status.Connected, "the status says connected");
        Assert.Null(connection.Status.Problem);
        Assert.Equal(redis.Configuration, connection.Status.Redis);
        Assert.Contains(logger.Entries, static e => e.EventId == 900 && e.Level == LogLevel.Information);
    }

    [Fact]
    public async Task ARedisThatIsNotThereIsReportedAndLoggedOnceAndNothingThrows()
    {
        var logger = new RecordingLogger<RedisConnection>();
        string nowhere = "127.0.0.1:" + UnusedPort();
        await using var connection = new RedisConnection(nowhere, TimeProvider.System, logger);

        connection.Start();
        await connection.Ready;

        Assert.False(connection.Status.Connected);
        Assert.NotNull(connection.Status.Problem);
        var registry = new NodeRegistry(connection, new ClusterOptions { Redis = nowhere }, TimeProvider.System, new RecordingLogger<NodeRegistry>());
        await Assert.ThrowsAnyAsync<Exception>(registry.ListAsync);
        await Assert.ThrowsAnyAsync<Exception>(registry.ListAsync);
        Assert.Single(logger.Entries, static e => e.EventId == 901 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task AfterAnOutageTheConnectionComesBackByItselfAndSaysSo()
    {
        var logger = new RecordingLogger<RedisConnection>();
        await using var connection = new RedisConnection(redis.Configuration, TimeProvider.System, logger);
        connection.Start();
        await connection.Ready;
        var registry = new NodeRegistry(connection, new ClusterOptions { Redis = redis.Configuration, KeyPrefix = "outage:" }, TimeProvider.System, new RecordingLogger<NodeRegistry>());
        await registry.ListAsync();
        Assert.True(connection.Status.Connected);

        await redis.StopAsync();
        bool restarted = false;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        await registry.ListAsync();
                        return false;
                    }
                    catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                    {
                        return true;
                    }
                },
                "a read fails while Redis is down");

            // The client's failure event (which sets the status and logs) can come after a read has already failed (CI).
            await Eventually.TrueAsync(() => !connection.Status.Connected && logger.Entries.Any(static e => e.EventId == 901), "the status and the log say Redis is lost");
            // Said plainly for the page, without the client's line of buffer and timer diagnostics.
            Assert.Matches(@"^[A-Z][^;]{10,80}\.$", connection.Status.Problem);

            await redis.StartAsync();
            restarted = true;
            await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        await registry.ListAsync();
                        return true;
                    }
                    catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                    {
                        return false;
                    }
                },
                "reads work again once Redis is back",
                seconds: 30);
            Assert.True(connection.Status.Connected);
        }
        finally
        {
            // The class's other tests share this server: never leave it stopped.
            if (!restarted)
            {
                await redis.StartAsync();
            }
        }
    }

    [Fact]
    public void AnUnknownErrorIsDescribedByItsFirstSentenceAtMost200Characters()
    {
        Assert.Equal("Something broke.", RedisConnection.Describe(new InvalidOperationException("Something broke. input-buffer: 0, outstanding: 0")));
        Assert.Equal(200, RedisConnection.Describe(new InvalidOperationException(new string('x', 5000))).Length);
        Assert.Equal("Redis did not answer in time.", RedisConnection.Describe(new TimeoutException("Timeout performing HGETALL, inst: 1, mgr: Inactive")));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
