namespace Relay.Portal.Node;

/// <summary>
/// Whose last hour the Nodes page charts, and from where. In a cluster the engineer picks a node and its history comes
/// from Redis (written by that node with its heartbeats), so it does not depend on how long the serving node has been
/// up. This node's own history, sampled in this process, is the fallback: when Redis cannot be read, before this node's
/// first heartbeat is stored, and in the single-node default, where it is all there is.
/// </summary>
/// <param name="NodeId">The node charted; empty for this node in the single-node default.</param>
/// <param name="Name">What the page calls it.</param>
/// <param name="IsThisNode">Whether it is the node serving the page.</param>
/// <param name="FromCluster">True when the samples are the node's heartbeats read from Redis; false for this process's own samples.</param>
/// <param name="Problem">Why the node picked is not the one charted, in words; null when it is.</param>
/// <param name="Unreadable">Records of its history that could not be read and are left out.</param>
public sealed record NodeHistoryShown(string NodeId, string Name, bool IsThisNode, bool FromCluster, IReadOnlyList<NodeSample> Samples, string? Problem, int Unreadable)
{
    /// <summary>
    /// What to chart: node <paramref name="selected"/> of <paramref name="cluster"/> (this node when null or not listed)
    /// from <paramref name="read"/>, its history read from Redis; or this node's <paramref name="local"/> samples when
    /// there is no cluster, when this node's history in Redis is empty or unreadable, or (saying why) when another
    /// node's history cannot be read. A <paramref name="read"/> of another node than the one picked (a refresh that
    /// crossed a change of choice) is not used.
    /// </summary>
    public static NodeHistoryShown Choose(ClusterView? cluster, string? selected, ClusterNodeHistory? read, IReadOnlyList<NodeSample> local, string localName)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(localName);
        ClusterNodeView? self = null;
        ClusterNodeView? picked = null;
        foreach (ClusterNodeView node in cluster?.Nodes ?? [])
        {
            if (node.IsThisNode)
            {
                self = node;
            }

            if (node.NodeId == selected)
            {
                picked = node;
            }
        }

        ClusterNodeView? target = picked ?? self;
        if (target is null)
        {
            return new NodeHistoryShown("", localName, true, false, local, null, 0);
        }

        ClusterNodeHistory? ofTarget = read is not null && read.NodeId == target.NodeId ? read : null;
        if (target.IsThisNode)
        {
            return ofTarget is { Readable: true, Samples.Count: > 0 }
                ? new NodeHistoryShown(target.NodeId, target.Name, true, true, ofTarget.Samples, null, ofTarget.Unreadable)
                : new NodeHistoryShown(target.NodeId, target.Name, true, false, local, null, ofTarget?.Unreadable ?? 0);
        }

        if (ofTarget is null)
        {
            // Not read yet: an empty chart of the node picked rather than another node's under its name.
            return new NodeHistoryShown(target.NodeId, target.Name, false, true, [], null, 0);
        }

        if (ofTarget.Readable)
        {
            return new NodeHistoryShown(target.NodeId, target.Name, false, true, ofTarget.Samples, null, ofTarget.Unreadable);
        }

        string name = self?.Name ?? localName;
        return new NodeHistoryShown(
            self?.NodeId ?? "",
            name,
            true,
            false,
            local,
            $"The history of {target.Name} cannot be read from Redis now ({ofTarget.Problem?.TrimEnd('.') ?? "no reason given"}); the charts below are this node's ({name}), sampled in this process.",
            0);
    }
}
