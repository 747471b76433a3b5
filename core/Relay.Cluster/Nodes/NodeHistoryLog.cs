using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Relay.Cluster.Redis;
using StackExchange.Redis;

namespace Relay.Cluster.Nodes;

/// <summary>
/// Each node's last hour in Redis, so the Nodes page on any node can chart every node (issue 6). Every heartbeat
/// appends the node's latest figures to the list <c>{prefix}node-history:{id}</c>, trims it to its newest
/// <see cref="Capacity"/> records and sets it to expire an hour (<see cref="Window"/>) later.
/// </summary>
/// <remarks>
/// Why Redis and not the serving node's memory: an engineer on call may open the page on any node, one that restarted
/// a minute ago included, so what the page shows must not depend on how long the serving node has been up. The list is
/// written by the node it describes, in the same round trip as its heartbeat, and read by whichever node serves the
/// page. It stays bounded: at most <see cref="MaxSamples"/> records of about 250 bytes (some 180 KB) per node however
/// fast the heartbeat, and it expires an hour after the node's last heartbeat, when none of its records would be on an
/// hour's chart anyway. A node id kept across restarts keeps its history. Records that cannot be read are counted and
/// left out, never thrown. Control plane only: one append per heartbeat and one read per page refresh.
/// </remarks>
public sealed partial class NodeHistoryLog
{
    /// <summary>How far back the charts go.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>The most records kept per node: an hour at one heartbeat every 5 s; a faster heartbeat keeps less than an hour.</summary>
    public const int MaxSamples = 720;

    // A record is a few hundred bytes; anything far larger is not one of ours and is not parsed.
    private const int MaxRecordLength = 4096;

    private readonly RedisConnection _redis;
    private readonly ClusterOptions _options;
    private readonly ILogger<NodeHistoryLog> _logger;

    // The unreadable count last logged per node: an open page reads every few seconds, and the same damaged records
    // would otherwise be logged at every read until they age out.
    private readonly ConcurrentDictionary<string, int> _unreadableLogged = new(StringComparer.Ordinal);

    public NodeHistoryLog(RedisConnection redis, ClusterOptions options, ILogger<NodeHistoryLog> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _options = options;
        _logger = logger;
        Capacity = CapacityFor(options.HeartbeatInterval);
    }

    /// <summary>How many records are kept per node: an hour of heartbeats, at most <see cref="MaxSamples"/>.</summary>
    public int Capacity { get; }

    /// <summary>An hour of heartbeats at <paramref name="heartbeatInterval"/>, between 1 and <see cref="MaxSamples"/>.</summary>
    public static int CapacityFor(TimeSpan heartbeatInterval) =>
        heartbeatInterval <= TimeSpan.Zero ? MaxSamples : (int)Math.Clamp(Math.Ceiling(Window / heartbeatInterval), 1, MaxSamples);

    /// <summary>Appends <paramref name="figures"/> to node <paramref name="nodeId"/>'s history; the oldest beyond <see cref="Capacity"/> go.</summary>
    public async Task AppendAsync(string nodeId, NodeFigures figures)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(figures);
        string json = JsonSerializer.Serialize(figures, NodeJson.Default.NodeFigures);
        IDatabase database = _redis.Database();
        RedisKey key = Key(nodeId);
        try
        {
            try
            {
                await AppendAsync(database, key, json).ConfigureAwait(false);
            }
            catch (RedisServerException e) when (IsWrongType(e))
            {
                // Something else took the key (damage, or an old version): the history is ours by its name, so it starts again.
                Log.Replaced(_logger, nodeId);
                await database.KeyDeleteAsync(key).ConfigureAwait(false);
                await AppendAsync(database, key, json).ConfigureAwait(false);
            }

            _redis.Succeeded();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
            throw;
        }
    }

    private async Task AppendAsync(IDatabase database, RedisKey key, string json)
    {
        // Sent together on the one connection, so Redis runs them in this order: the list never holds more than
        // Capacity records after a heartbeat, and a node that stops leaves a list that expires on its own.
        Task<long> push = database.ListRightPushAsync(key, json);
        Task trim = database.ListTrimAsync(key, -Capacity, -1);
        Task<bool> expire = database.KeyExpireAsync(key, Window > _options.HeartbeatTimeToLive ? Window : _options.HeartbeatTimeToLive);
        await Task.WhenAll(push, trim, expire).ConfigureAwait(false);
    }

    /// <summary>
    /// Node <paramref name="nodeId"/>'s history of the last hour (by its own clock, so no two nodes' clocks are compared),
    /// oldest first; empty when it has none. Records that cannot be read are counted and left out, and logged when their number changes.
    /// </summary>
    public async Task<NodeHistorySamples> ReadAsync(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        RedisValue[] records;
        try
        {
            records = await _redis.Database().ListRangeAsync(Key(nodeId), 0, -1).ConfigureAwait(false);
            _redis.Succeeded();
        }
        catch (RedisServerException e) when (IsWrongType(e))
        {
            _redis.Succeeded();
            LogUnreadable(nodeId, 1, 1);
            return new NodeHistorySamples([], 1);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
            throw;
        }

        var samples = new List<NodeFigures>(records.Length);
        int unreadable = 0;
        foreach (RedisValue record in records)
        {
            if (Read(record) is { } figures)
            {
                samples.Add(figures);
            }
            else
            {
                unreadable++;
            }
        }

        LogUnreadable(nodeId, unreadable, records.Length);

        if (samples.Count == 0)
        {
            return unreadable == 0 ? NodeHistorySamples.Empty : new NodeHistorySamples([], unreadable);
        }

        // Appended in order, but a node's clock may have stepped back (or it restarted): the charts want time order.
        samples.Sort(static (a, b) => a.At.CompareTo(b.At));
        DateTimeOffset since = samples[^1].At - Window;
        int first = 0;
        while (samples[first].At < since)
        {
            first++;
        }

        return new NodeHistorySamples(first == 0 ? samples : samples.GetRange(first, samples.Count - first), unreadable);
    }

    /// <summary>Deletes node <paramref name="nodeId"/>'s history (tests, and an operator removing a node for good).</summary>
    public async Task ForgetAsync(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        await _redis.Database().KeyDeleteAsync(Key(nodeId)).ConfigureAwait(false);
    }

    private void LogUnreadable(string nodeId, int unreadable, int records)
    {
        int logged = _unreadableLogged.GetValueOrDefault(nodeId);
        if (unreadable == logged)
        {
            return;
        }

        if (unreadable == 0)
        {
            _unreadableLogged.TryRemove(nodeId, out _);
            return;
        }

        _unreadableLogged[nodeId] = unreadable;
        Log.Unreadable(_logger, unreadable, records, nodeId);
    }

    private static NodeFigures? Read(RedisValue record)
    {
        string? text = record;
        if (string.IsNullOrEmpty(text) || text.Length > MaxRecordLength)
        {
            return null;
        }

        try
        {
            NodeFigures? figures = JsonSerializer.Deserialize(text, NodeJson.Default.NodeFigures);
            return figures is not null && IsPlausible(figures) ? figures : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // What a chart could not draw or would draw wrongly: no time, negative counts, or rates that are not numbers.
    private static bool IsPlausible(NodeFigures f) =>
        f.At != default
        && f.Streams >= 0
        && f.Viewers >= 0
        && f.MemoryBytes >= 0
        && IsRate(f.PacketsInPerSecond)
        && IsRate(f.PacketsOutPerSecond)
        && IsRate(f.DroppedPerSecond)
        && IsRate(f.NacksPerSecond)
        && IsRate(f.CpuPercent);

    private static bool IsRate(double value) => double.IsFinite(value) && value >= 0;

    private static bool IsWrongType(RedisServerException e) => e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);

    private RedisKey Key(string nodeId) => _options.KeyPrefix + "node-history:" + nodeId;

    private static partial class Log
    {
        [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "Cluster: {Unreadable} of the {Records} history records of node {NodeId} in Redis cannot be read; they are left out of its charts")]
        public static partial void Unreadable(ILogger logger, int unreadable, int records, string nodeId);

        [LoggerMessage(EventId = 912, Level = LogLevel.Warning, Message = "Cluster: the history key of node {NodeId} in Redis held something else; it is started again")]
        public static partial void Replaced(ILogger logger, string nodeId);
    }
}
