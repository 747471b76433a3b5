using Microsoft.Extensions.Logging;
using Relay.Cluster.Redis;
using StackExchange.Redis;

namespace Relay.Cluster.Events;

/// <summary>
/// Messages to every node over Redis pub/sub (<c>{prefix}{channel}</c>). Pub/sub is at-most-once: a node that is
/// cut off misses messages, so a message only ever says "look again" at something kept elsewhere (the database),
/// never carries the only copy of anything. Subscriptions are renewed by the client after a reconnect.
/// </summary>
public sealed partial class ClusterEvents
{
    private readonly RedisConnection _redis;
    private readonly ClusterOptions _options;
    private readonly ILogger<ClusterEvents> _logger;

    public ClusterEvents(RedisConnection redis, ClusterOptions options, ILogger<ClusterEvents> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _options = options;
        _logger = logger;
    }

    /// <summary>Sends <paramref name="message"/> to the nodes subscribed to <paramref name="channel"/>; returns how many got it.</summary>
    public async Task<long> PublishAsync(string channel, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(message);
        ConnectionMultiplexer multiplexer = _redis.Multiplexer
            ?? throw new ClusterUnavailableException("Redis has not been reached yet.");
        try
        {
            long receivers = await multiplexer.GetSubscriber().PublishAsync(Channel(channel), message).ConfigureAwait(false);
            _redis.Succeeded();
            return receivers;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
            throw;
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with each message on <paramref name="channel"/>, from the client's thread (so it
    /// should hand long work off). Waits for the connection to exist, not for Redis to answer.
    /// </summary>
    public async Task SubscribeAsync(string channel, Action<string> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ConnectionMultiplexer multiplexer = await _redis.MultiplexerReady.ConfigureAwait(false);
        await multiplexer.GetSubscriber().SubscribeAsync(Channel(channel), (_, value) =>
        {
            try
            {
                handler(value.ToString());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.HandlerFailed(_logger, channel, e);
            }
        }).ConfigureAwait(false);
    }

    private RedisChannel Channel(string channel) => new(_options.KeyPrefix + channel, RedisChannel.PatternMode.Literal);

    private static partial class Log
    {
        [LoggerMessage(EventId = 920, Level = LogLevel.Error, Message = "Cluster: handling a message on {Channel} failed")]
        public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);
    }
}
