namespace Relay.Cluster.Nodes;

/// <summary>One node's history as read from Redis: the samples that could be read, oldest first, and how many could not.</summary>
/// <param name="Samples">The readable samples of the last hour (by the node's own clock), oldest first.</param>
/// <param name="Unreadable">Records left out because they could not be read (damaged, another version, implausible figures).</param>
public sealed record NodeHistorySamples(IReadOnlyList<NodeFigures> Samples, int Unreadable)
{
    public static NodeHistorySamples Empty { get; } = new([], 0);
}
