namespace Relay.Portal.Node;

/// <summary>This node's recent history for the Nodes page's charts, sampled in the relay's process.</summary>
public interface IPortalNodeHistory
{
    /// <summary>How often a sample is taken.</summary>
    TimeSpan Interval { get; }

    /// <summary>The samples kept (at most an hour's worth), oldest first; a copy the caller may keep.</summary>
    IReadOnlyList<NodeSample> Samples();
}
