using System.Text.Json;
using Microsoft.Extensions.Logging;
using Relay.Cluster.Redis;
using StackExchange.Redis;

namespace Relay.Cluster.Nodes;

/// <summary>
/// The cluster's nodes in Redis. Each heartbeat writes the node's record twice: into the hash
/// <c>{prefix}nodes</c> (field = node id, kept) and as <c>{prefix}node:{id}</c> with a time to live of a few
/// heartbeats. A node is reporting while that key lives; when it expires the hash still has the node's last
/// heartbeat, so every node (even one started later) can say which node stopped reporting and when, until it is
/// forgotten after <see cref="ClusterOptions.ForgetAfter"/>.
/// </summary>
/// <remarks>Control plane only: one write per heartbeat and one read per page refresh; nothing on the packet path.</remarks>
public sealed partial class NodeRegistry
{
    private readonly RedisConnection _redis;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeRegistry> _logger;
    private readonly RedisKey _nodes;

    public NodeRegistry(RedisConnection redis, ClusterOptions options, TimeProvider time, ILogger<NodeRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _options = options;
        _time = time;
        _logger = logger;
        _nodes = options.KeyPrefix + "nodes";
    }

    /// <summary>Publishes <paramref name="heartbeat"/>: the node is reporting for <see cref="ClusterOptions.HeartbeatTimeToLive"/>.</summary>
    public async Task PublishAsync(NodeHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        string json = JsonSerializer.Serialize(heartbeat, NodeJson.Default.NodeHeartbeat);
        IDatabase database = _redis.Database();
        try
        {
            Task set = database.HashSetAsync(_nodes, heartbeat.Node.NodeId, json);
            Task<bool> alive = database.StringSetAsync(AliveKey(heartbeat.Node.NodeId), json, _options.HeartbeatTimeToLive);
            await Task.WhenAll(set, alive).ConfigureAwait(false);
            _redis.Succeeded();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
            throw;
        }
    }

    /// <summary>Says at once that the node is gone (a clean shutdown), rather than waiting for its heartbeat to expire.</summary>
    public async Task LeaveAsync(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        await _redis.Database().KeyDeleteAsync(AliveKey(nodeId)).ConfigureAwait(false);
    }

    /// <summary>
    /// Every node still known: those reporting and those that stopped within <see cref="ClusterOptions.ForgetAfter"/>,
    /// by name. A record that cannot be read (another version, or damaged) is skipped and logged, never thrown.
    /// </summary>
    public async Task<IReadOnlyList<ClusterNodeStatus>> ListAsync()
    {
        IDatabase database = _redis.Database();
        HashEntry[] entries;
        RedisValue[] alive;
        try
        {
            entries = await database.HashGetAllAsync(_nodes).ConfigureAwait(false);
            var keys = new RedisKey[entries.Length];
            for (int i = 0; i < entries.Length; i++)
            {
                keys[i] = AliveKey(entries[i].Name.ToString());
            }

            alive = keys.Length == 0 ? [] : await database.StringGetAsync(keys).ConfigureAwait(false);
            _redis.Succeeded();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
            throw;
        }

        DateTimeOffset forgetBefore = _time.GetUtcNow() - _options.ForgetAfter;
        var nodes = new List<ClusterNodeStatus>(entries.Length);
        var forget = new List<RedisValue>();
        for (int i = 0; i < entries.Length; i++)
        {
            bool reporting = !alive[i].IsNull;
            // The live key holds the newest heartbeat; the hash is written in the same round trip, so they agree.
            NodeHeartbeat? heartbeat = Read(entries[i].Name.ToString(), reporting ? alive[i] : entries[i].Value);
            if (heartbeat is null)
            {
                continue;
            }

            if (!reporting && heartbeat.SentAt < forgetBefore)
            {
                forget.Add(entries[i].Name);
                continue;
            }

            nodes.Add(new ClusterNodeStatus(heartbeat, reporting));
        }

        if (forget.Count > 0)
        {
            await database.HashDeleteAsync(_nodes, [.. forget]).ConfigureAwait(false);
        }

        nodes.Sort(static (a, b) => string.CompareOrdinal(a.Last.Node.Name, b.Last.Node.Name));
        return nodes;
    }

    private NodeHeartbeat? Read(string nodeId, RedisValue value)
    {
        try
        {
            NodeHeartbeat? heartbeat = JsonSerializer.Deserialize(value.ToString(), NodeJson.Default.NodeHeartbeat);
            if (heartbeat?.Node?.NodeId is null || heartbeat.Figures is null || heartbeat.Node.NodeId != nodeId)
            {
                Log.Unreadable(_logger, nodeId, "fields missing or for another node");
                return null;
            }

            return heartbeat;
        }
        catch (JsonException e)
        {
            Log.Unreadable(_logger, nodeId, e.Message);
            return null;
        }
    }

    private RedisKey AliveKey(string nodeId) => _options.KeyPrefix + "node:" + nodeId;

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "Cluster: the record of node {NodeId} in Redis cannot be read ({Reason}); it is left out")]
        public static partial void Unreadable(ILogger logger, string nodeId, string reason);
    }
}
