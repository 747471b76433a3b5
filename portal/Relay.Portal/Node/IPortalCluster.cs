namespace Relay.Portal.Node;

/// <summary>
/// Every node of the cluster as the Nodes page shows it, provided by the relay host from the node registry in Redis.
/// In the single-node default (<c>Relay:Cluster:Redis</c> unset) <see cref="Enabled"/> is false and there is nothing to read.
/// </summary>
public interface IPortalCluster
{
    bool Enabled { get; }

    /// <summary>
    /// The nodes reporting and those that stopped, with this node's connection to Redis. While Redis cannot be reached it
    /// answers with the nodes as last seen and says why, never throws.
    /// </summary>
    Task<ClusterView> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Node <paramref name="nodeId"/>'s last hour as its heartbeats left it in Redis, whichever node serves the page and
    /// however long it has been up. Never throws: while Redis cannot be reached it answers not readable, with why.
    /// </summary>
    Task<ClusterNodeHistory> ReadHistoryAsync(string nodeId, CancellationToken cancellationToken = default);
}

/// <summary>One node's last hour as read from the cluster's Redis.</summary>
/// <param name="Readable">False while Redis cannot be reached (then <see cref="Problem"/> says why and there are no samples).</param>
/// <param name="Samples">Its samples, oldest first (one per heartbeat); empty when it has none yet.</param>
/// <param name="Unreadable">Records that could not be read and are left out.</param>
public sealed record ClusterNodeHistory(string NodeId, bool Readable, IReadOnlyList<NodeSample> Samples, int Unreadable, string? Problem);

/// <summary>The cluster as this node sees it now.</summary>
/// <param name="Redis">Where the cluster's Redis is.</param>
/// <param name="Connected">Whether this node reached Redis when it last tried.</param>
/// <param name="Since">When Redis last became reachable or unreachable.</param>
/// <param name="Problem">Why Redis is unreachable, in words; null while connected.</param>
/// <param name="Nodes">Every node known, by name; as last seen while Redis is unreachable.</param>
public sealed record ClusterView(string Redis, bool Connected, DateTimeOffset Since, string? Problem, IReadOnlyList<ClusterNodeView> Nodes)
{
    public static ClusterView SingleNode { get; } = new("", false, DateTimeOffset.MinValue, null, []);
}

/// <summary>One node of the cluster: who it is, its latest figures (from its heartbeat), and whether it still reports.</summary>
/// <param name="IsThisNode">The node whose portal this is.</param>
/// <param name="Reporting">False once the node's heartbeats stopped for longer than their time to live (or it shut down).</param>
/// <param name="LastHeartbeat">When its last heartbeat was sent (its clock).</param>
/// <param name="Figures">Its latest sample, as its own Nodes page charts it.</param>
public sealed record ClusterNodeView(
    string NodeId,
    string Name,
    bool IsThisNode,
    bool Reporting,
    DateTimeOffset LastHeartbeat,
    string MediaAddress,
    string HttpAddress,
    string Version,
    DateTimeOffset StartedAt,
    NodeSample Figures);
