namespace Relay.Portal.Node;

/// <summary>Packets per second between two readings of the node's cumulative counters.</summary>
public sealed record NodeRates(double PacketsInPerSecond, double PacketsOutPerSecond, double CpuPercent, double DroppedPerSecond = 0)
{
    public static NodeRates Zero { get; } = new(0, 0, 0);

    /// <summary>
    /// The rates from <paramref name="earlier"/> to <paramref name="later"/>; zero when no time has passed,
    /// and never negative (a counter that went backwards means the node restarted).
    /// </summary>
    public static NodeRates Between(NodeReading earlier, NodeReading later, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        double seconds = (later.At - earlier.At).TotalSeconds;
        if (seconds <= 0)
        {
            return Zero;
        }

        double cpu = (later.CpuTime - earlier.CpuTime).TotalSeconds / seconds / Math.Max(1, processorCount) * 100;
        return new NodeRates(
            Math.Max(0, later.RtpPacketsIn - earlier.RtpPacketsIn) / seconds,
            Math.Max(0, later.RtpPacketsOut - earlier.RtpPacketsOut) / seconds,
            Math.Max(0, cpu),
            Math.Max(0, later.PacketsDropped - earlier.PacketsDropped) / seconds);
    }
}
