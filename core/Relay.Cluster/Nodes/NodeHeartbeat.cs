namespace Relay.Cluster.Nodes;

/// <summary>What a node publishes every heartbeat: who it is, its latest figures, and when it sent them (its clock).</summary>
public sealed record NodeHeartbeat(NodeRegistration Node, NodeFigures Figures, DateTimeOffset SentAt);
