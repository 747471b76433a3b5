using Relay.Portal.Node;

namespace Relay.Server.Cluster;

/// <summary>The single-node default: no Redis configured, no cluster to show.</summary>
internal sealed class SingleNodeCluster : IPortalCluster
{
    public bool Enabled => false;

    public Task<ClusterView> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(ClusterView.SingleNode);

    /// <summary>Never asked by the page (it charts this node's own samples); answers that there is no cluster to read.</summary>
    public Task<ClusterNodeHistory> ReadHistoryAsync(string nodeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ClusterNodeHistory(nodeId, false, [], 0, "Relay:Cluster:Redis is not set: this relay runs as a single node."));
}
