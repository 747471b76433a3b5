namespace Relay.Cluster;

/// <summary>
/// <c>Relay:Cluster</c>: how this node joins others over one Redis. With <see cref="Redis"/> unset the relay runs as a
/// single node, exactly as without this project: nothing connects to Redis and nothing waits for it.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Relay:Cluster";

    /// <summary><c>Relay:Cluster:Redis</c>: the Redis every node shares, as <c>host:port</c> (StackExchange.Redis configuration text).</summary>
    public string? Redis { get; set; }

    /// <summary><c>Relay:Cluster:NodeId</c>: this node's id, unique in the cluster and kept across restarts; by default the machine name and media port.</summary>
    public string? NodeId { get; set; }

    /// <summary><c>Relay:Cluster:NodeName</c>: the name the Nodes page shows; the node id by default.</summary>
    public string? NodeName { get; set; }

    /// <summary><c>Relay:Cluster:HeartbeatInterval</c>: how often the node publishes its latest figures (10 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Relay:Cluster:HeartbeatsToLive</c>: how many heartbeats a node may miss before it is shown as gone (3).</summary>
    public int HeartbeatsToLive { get; set; } = 3;

    /// <summary><c>Relay:Cluster:ForgetAfter</c>: how long a node that stopped reporting is still listed as gone (1 h).</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// <c>Relay:Cluster:TuningReloadInterval</c>: how often tuning is read from the database even without a message
    /// (pub/sub is at-most-once, so a missed "reload" is caught by this); 60 s.
    /// </summary>
    public TimeSpan TuningReloadInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>Relay:Cluster:KeyPrefix</c>: put before every key and channel, so clusters can share one Redis ("relay:").</summary>
    public string KeyPrefix { get; set; } = "relay:";

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>How long a heartbeat keeps its node listed as reporting.</summary>
    public TimeSpan HeartbeatTimeToLive => HeartbeatInterval * Math.Max(1, HeartbeatsToLive);
}
