using Relay.Portal.Node;

namespace Relay.Portal.Tests.Node;

public sealed class NodeRatesTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PacketsPerSecondAreTheCountersGrowthOverTheTimeBetweenReadings()
    {
        NodeRates rates = NodeRates.Between(Reading(s_start, 1000, 5000, 1.0), Reading(s_start.AddSeconds(2), 3000, 11000, 2.0), 2);
        Assert.Equal(1000, rates.PacketsInPerSecond);
        Assert.Equal(3000, rates.PacketsOutPerSecond);
        Assert.Equal(25, rates.CpuPercent);
    }

    [Fact]
    public void NoTimeBetweenReadingsGivesZero() =>
        Assert.Equal(NodeRates.Zero, NodeRates.Between(Reading(s_start, 0, 0, 0), Reading(s_start, 10, 10, 1), 2));

    [Fact]
    public void ACounterThatWentBackwardsGivesZeroNotANegativeRate()
    {
        NodeRates rates = NodeRates.Between(Reading(s_start, 5000, 5000, 5), Reading(s_start.AddSeconds(1), 10, 10, 1), 1);
        Assert.Equal(0, rates.PacketsInPerSecond);
        Assert.Equal(0, rates.PacketsOutPerSecond);
        Assert.Equal(0, rates.CpuPercent);
    }

    private static NodeReading Reading(DateTimeOffset at, long packetsIn, long packetsOut, double cpuSeconds) =>
        new(at, "node", true, 0, 0, 0, 0, packetsIn, packetsOut, 0, 0, 0, TimeSpan.FromSeconds(cpuSeconds));
}
