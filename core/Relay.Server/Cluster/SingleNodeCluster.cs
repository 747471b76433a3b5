using Relay.Portal.Node;

namespace Relay.Server.Cluster;

/// <summary>The single-node default: no Redis configured, no cluster to show.</summary>
internal sealed class SingleNodeCluster : IPortalCluster
{
    public bool Enabled => false;

    public Task<ClusterView> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(ClusterView.SingleNode);
}
