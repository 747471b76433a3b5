using Microsoft.Extensions.Logging.Abstractions;
using Relay.Cluster.Redis;

namespace Relay.Cluster.Tests;

/// <summary>The connections one test opens to the class's redis-server, each started and ready; all closed when the test ends.</summary>
internal sealed class ReadyConnections(RedisServer redis)
{
    private readonly List<RedisConnection> _connections = [];

    public async Task<RedisConnection> OpenAsync(TimeProvider time)
    {
        var connection = new RedisConnection(redis.Configuration, time, NullLogger<RedisConnection>.Instance);
        _connections.Add(connection);
        connection.Start();
        await connection.Ready;
        return connection;
    }

    /// <summary>Closes every connection opened (from the test class's DisposeAsync).</summary>
    public async Task CloseAllAsync()
    {
        foreach (RedisConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
