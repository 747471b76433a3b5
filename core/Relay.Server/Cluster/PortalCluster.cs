using System.Diagnostics.CodeAnalysis;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;
using Relay.Portal.Node;

namespace Relay.Server.Cluster;

/// <summary>
/// The Nodes page's view of the cluster, read from the node registry at each refresh. While Redis cannot be reached it
/// gives the nodes as last seen and the connection's problem, so the page says plainly what is wrong. Each node's last
/// hour comes from its history in Redis (<see cref="NodeHistoryLog"/>), so any node's page charts every node.
/// </summary>
internal sealed class PortalCluster(NodeRegistry registry, NodeHistoryLog history, RedisConnection redis, LocalClusterNode local) : IPortalCluster
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

    [SuppressMessage("Design", "CA1031", Justification = "Redis being unreachable is shown on the page, never thrown at it.")]
    public async Task<ClusterNodeHistory> ReadHistoryAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        try
        {
            NodeHistorySamples read = await history.ReadAsync(nodeId).WaitAsync(s_readTimeout, cancellationToken).ConfigureAwait(false);
            var samples = new NodeSample[read.Samples.Count];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = Sample(read.Samples[i]);
            }

            return new ClusterNodeHistory(nodeId, true, samples, read.Unreadable, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            redis.ReportFailure(e);
            return new ClusterNodeHistory(nodeId, false, [], 0, RedisConnection.Describe(e));
        }
    }

    private static NodeSample Sample(NodeFigures f) =>
        new(f.At, f.Streams, f.Viewers, f.PacketsInPerSecond, f.PacketsOutPerSecond, f.NacksPerSecond, f.CpuPercent, f.MemoryBytes, f.DroppedPerSecond);

    private ClusterNodeView View(ClusterNodeStatus node)
    {
        NodeRegistration who = node.Last.Node;
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
            Sample(node.Last.Figures));
    }
}
