namespace Relay.Cluster.Nodes;

/// <summary>A node as the cluster knows it: its last heartbeat, and whether it is still reporting.</summary>
/// <param name="Reporting">
/// True while its last heartbeat is within its time to live (kept by Redis, so no two nodes' clocks are compared);
/// false once it stopped reporting (killed, cut off, or shut down), until it is forgotten.
/// </param>
public sealed record ClusterNodeStatus(NodeHeartbeat Last, bool Reporting);
