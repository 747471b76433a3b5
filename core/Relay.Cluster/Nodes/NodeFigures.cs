namespace Relay.Cluster.Nodes;

/// <summary>A node's latest sample, as its Nodes page charts it: gauges now, rates over the sampling interval before.</summary>
/// <param name="DroppedPerSecond">Packets the relay dropped (refused, undecryptable, unsendable) per second.</param>
/// <param name="NacksPerSecond">NACKs received from viewers per second (loss they report).</param>
public sealed record NodeFigures(
    DateTimeOffset At,
    int Streams,
    int Viewers,
    double PacketsInPerSecond,
    double PacketsOutPerSecond,
    double DroppedPerSecond,
    double NacksPerSecond,
    double CpuPercent,
    long MemoryBytes);
