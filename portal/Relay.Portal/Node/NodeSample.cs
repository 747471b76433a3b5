namespace Relay.Portal.Node;

/// <summary>One point of this node's history: its gauges at <see cref="At"/> and its rates over the interval before.</summary>
/// <param name="PacketsInPerSecond">SRTP packets received from publishers per second since the sample before.</param>
/// <param name="PacketsOutPerSecond">SRTP packets sent to viewers per second since the sample before.</param>
/// <param name="NacksPerSecond">NACKs received from viewers per second since the sample before (the loss they report).</param>
/// <param name="CpuPercent">The process's share of all processors since the sample before.</param>
/// <param name="MemoryBytes">The process's working set.</param>
/// <param name="DroppedPerSecond">Packets the relay dropped per second since the sample before (its own loss).</param>
public readonly record struct NodeSample(
    DateTimeOffset At,
    int Streams,
    int Viewers,
    double PacketsInPerSecond,
    double PacketsOutPerSecond,
    double NacksPerSecond,
    double CpuPercent,
    long MemoryBytes,
    double DroppedPerSecond = 0)
{
    /// <summary>Dropped packets as a share of those that arrived (received plus dropped), in percent; 0 with no traffic.</summary>
    public double LossPercent => PacketsInPerSecond + DroppedPerSecond <= 0 ? 0 : DroppedPerSecond / (PacketsInPerSecond + DroppedPerSecond) * 100;
}
