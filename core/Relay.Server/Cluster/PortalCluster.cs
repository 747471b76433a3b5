using System.Diagnostics.CodeAnalysis;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;
using Relay.Portal.Node;

namespace Relay.Server.Cluster;

/// <summary>
/// The Nodes page's view of the cluster, read from the node registry at each refresh. While Redis cannot be reached it
/// gives the nodes as last seen and the connection's problem, so the page says plainly what is wrong.
/// </summary>
internal sealed class PortalCluster(NodeRegistry registry, RedisConnection redis, LocalClusterNode local) : IPortalCluster
{
    private static readonly TimeSpan s_readTimeout = TimeSpan.FromSeconds(3);

    private IReadOnlyList<ClusterNodeView> _lastSeen = [];

    public bool Enabled => true;

    [SuppressMessage("Design", "CA1031", Justification = "Redis being unreachable is shown on the page, never thrown at it.")]
    public async Task<ClusterView> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            IReadOnlyList<ClusterNodeStatus> nodes = await registry.ListAsync().WaitAsync(s_readTimeout, cancellationToken).ConfigureAwait(false);
            var views = new List<ClusterNodeView>(nodes.Count);
            foreach (ClusterNodeStatus node in nodes)
            {
                views.Add(View(node));
            }

            _lastSeen = views;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            redis.ReportFailure(e);
        }

        ClusterConnectionStatus status = redis.Status;
        return new ClusterView(status.Redis, status.Connected, status.Since, status.Problem, _lastSeen);
    }

    private ClusterNodeView View(ClusterNodeStatus node)
    {
        NodeRegistration who = node.Last.Node;
        NodeFigures f = node.Last.Figures;
        return new ClusterNodeView(
            who.NodeId,
            who.Name,
            who.NodeId == local.NodeId,
            node.Reporting,
            node.Last.SentAt,
            who.MediaAddress,
            who.HttpAddress,
            who.Version,
            who.StartedAt,
            new NodeSample(f.At, f.Streams, f.Viewers, f.PacketsInPerSecond, f.PacketsOutPerSecond, f.NacksPerSecond, f.CpuPercent, f.MemoryBytes, f.DroppedPerSecond));
    }
}
