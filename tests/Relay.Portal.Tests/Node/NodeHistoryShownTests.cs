using Relay.Portal.Node;

namespace Relay.Portal.Tests.Node;

public sealed class NodeHistoryShownTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);
    private static readonly NodeSample[] s_local = [Sample(0, streams: 0), Sample(10, streams: 0)];
    private static readonly NodeSample[] s_ofB = [Sample(-3000, streams: 2), Sample(-10, streams: 3), Sample(0, streams: 3)];
    private static readonly NodeSample[] s_ofA = [Sample(-3000, streams: 1), Sample(0, streams: 1)];

    [Fact]
    public void WithoutAClusterThisProcesssSamplesAreCharted()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(null, null, null, s_local, "relay-host");

        Assert.Equal(new NodeHistoryShown("", "relay-host", true, false, s_local, null, 0), shown);
    }

    [Fact]
    public void AnotherNodePickedIsChartedFromItsHistoryInRedis()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), "node-b", Read("node-b", s_ofB, unreadable: 2), s_local, "relay-host");

        Assert.Equal("node-b", shown.NodeId);
        Assert.Equal("Node B", shown.Name);
        Assert.False(shown.IsThisNode);
        Assert.True(shown.FromCluster);
        Assert.Equal(s_ofB, shown.Samples);
        Assert.Equal(2, shown.Unreadable);
        Assert.Null(shown.Problem);
    }

    [Fact]
    public void WithNothingPickedThisNodeIsChartedFromItsHistoryInRedisWhichOutlivesARestart()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), null, Read("node-a", s_ofA), s_local, "relay-host");

        Assert.Equal(("node-a", true, true), (shown.NodeId, shown.IsThisNode, shown.FromCluster));
        Assert.Equal(s_ofA, shown.Samples);
    }

    [Fact]
    public void ANodePickedThatIsNoLongerListedGivesWayToThisNode()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), "node-forgotten", Read("node-a", s_ofA), s_local, "relay-host");

        Assert.Equal("node-a", shown.NodeId);
        Assert.Equal(s_ofA, shown.Samples);
    }

    [Fact]
    public void BeforeThisNodesFirstHeartbeatIsStoredItsOwnSamplesAreCharted()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), "node-a", Read("node-a", []), s_local, "relay-host");

        Assert.Equal(("node-a", "Node A", true, false), (shown.NodeId, shown.Name, shown.IsThisNode, shown.FromCluster));
        Assert.Equal(s_local, shown.Samples);
        Assert.Null(shown.Problem);
    }

    [Fact]
    public void WhileRedisCannotBeReadThisNodesOwnSamplesAreChartedWithoutComplaint()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), "node-a", Unreadable("node-a"), s_local, "relay-host");

        Assert.Equal(s_local, shown.Samples);
        Assert.False(shown.FromCluster);
        Assert.Null(shown.Problem);
    }

    [Fact]
    public void WhileRedisCannotBeReadAnotherNodePickedGivesWayToThisNodesOwnSamplesAndSaysWhy()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), "node-b", Unreadable("node-b"), s_local, "relay-host");

        Assert.Equal(("node-a", "Node A", true, false), (shown.NodeId, shown.Name, shown.IsThisNode, shown.FromCluster));
        Assert.Equal(s_local, shown.Samples);
        Assert.Equal(
            "The history of Node B cannot be read from Redis now (Redis cannot be connected to); the charts below are this node's (Node A), sampled in this process.",
            shown.Problem);
    }

    [Fact]
    public void AReadOfAnotherNodeThanTheOnePickedIsNeverChartedUnderItsName()
    {
        NodeHistoryShown shown = NodeHistoryShown.Choose(Cluster(), "node-b", Read("node-a", s_ofA), s_local, "relay-host");

        Assert.Equal("node-b", shown.NodeId);
        Assert.Empty(shown.Samples);
        Assert.Null(shown.Problem);
    }

    [Fact]
    public void WhenThisNodeIsNotListedYetItsOwnSamplesAreCharted()
    {
        var empty = new ClusterView("127.0.0.1:6379", false, s_now, "Redis cannot be connected to.", []);

        NodeHistoryShown shown = NodeHistoryShown.Choose(empty, "node-b", null, s_local, "relay-host");

        Assert.Equal(new NodeHistoryShown("", "relay-host", true, false, s_local, null, 0), shown);
    }

    private static ClusterView Cluster() => new("127.0.0.1:6379", true, s_now, null, [Node("node-a", "Node A", self: true), Node("node-b", "Node B", self: false)]);

    private static ClusterNodeView Node(string id, string name, bool self) =>
        new(id, name, self, true, s_now, "127.0.0.1:40000", "http://127.0.0.1:8080", "1.0.0", s_now.AddHours(-2), Sample(0, streams: 1));

    private static ClusterNodeHistory Read(string id, NodeSample[] samples, int unreadable = 0) => new(id, true, samples, unreadable, null);

    private static ClusterNodeHistory Unreadable(string id) => new(id, false, [], 0, "Redis cannot be connected to.");

    private static NodeSample Sample(int seconds, int streams) => new(s_now.AddSeconds(seconds), streams, 0, 10, 20, 0, 5, 100 << 20);
}
