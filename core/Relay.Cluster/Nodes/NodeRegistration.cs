namespace Relay.Cluster.Nodes;

/// <summary>Who a node is: what it registers with the cluster when it starts.</summary>
/// <param name="NodeId">Unique in the cluster, kept across restarts.</param>
/// <param name="Name">What the Nodes page calls it.</param>
/// <param name="MediaAddress">Where peers reach its UDP media port (<c>address:port</c>).</param>
/// <param name="HttpAddress">Its HTTP API (where a viewer's WHEP request for one of its streams goes).</param>
/// <param name="Version">The relay's version.</param>
/// <param name="StartedAt">When the process started.</param>
public sealed record NodeRegistration(string NodeId, string Name, string MediaAddress, string HttpAddress, string Version, DateTimeOffset StartedAt);
