using Relay.Portal.Node;

namespace Relay.Portal.Tests.Node;

public sealed class NodeHistoryTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFirstSampleHasItsGaugesAndNoRates()
    {
        var history = new NodeHistory(capacity: 4, processorCount: 2);
        history.Add(Reading(0, streams: 3, viewers: 7, packetsIn: 500, packetsOut: 900, nacks: 10, cpuSeconds: 4, memory: 1 << 20));
        NodeSample sample = Assert.Single(history.Snapshot());
        Assert.Equal(new NodeSample(s_start, 3, 7, 0, 0, 0, 0, 1 << 20), sample);
    }

    [Fact]
    public void EachLaterSampleHasTheRatesSinceTheOneBefore()
    {
        var history = new NodeHistory(capacity: 4, processorCount: 2);
        history.Add(Reading(0, packetsIn: 1000, packetsOut: 2000, nacks: 10, cpuSeconds: 1));
        history.Add(Reading(10, packetsIn: 3000, packetsOut: 12000, nacks: 15, cpuSeconds: 6));
        NodeSample sample = history.Snapshot()[1];
        Assert.Equal(200, sample.PacketsInPerSecond);
        Assert.Equal(1000, sample.PacketsOutPerSecond);
        Assert.Equal(0.5, sample.NacksPerSecond);
        Assert.Equal(25, sample.CpuPercent);
    }

    [Fact]
    public void WhenFullTheOldestSampleMakesRoomAndTheOrderStaysOldestFirst()
    {
        var history = new NodeHistory(capacity: 3, processorCount: 1);
        for (int i = 0; i < 5; i++)
        {
            history.Add(Reading(i * 10, streams: i));
        }

        Assert.Equal(3, history.Count);
        Assert.Equal([2, 3, 4], history.Snapshot().Select(static s => s.Streams));
    }

    [Fact]
    public void AReadingNoLaterThanTheLastIsIgnored()
    {
        var history = new NodeHistory(capacity: 3, processorCount: 1);
        history.Add(Reading(10, streams: 1));
        history.Add(Reading(10, streams: 2));
        history.Add(Reading(5, streams: 3));
        Assert.Equal([1], history.Snapshot().Select(static s => s.Streams));
    }

    [Fact]
    public void CountersThatWentBackwardsGiveZeroRatesNotNegativeOnes()
    {
        var history = new NodeHistory(capacity: 3, processorCount: 1);
        history.Add(Reading(0, packetsIn: 5000, nacks: 50));
        history.Add(Reading(10, packetsIn: 10, nacks: 1));
        NodeSample sample = history.Snapshot()[1];
        Assert.Equal((0.0, 0.0), (sample.PacketsInPerSecond, sample.NacksPerSecond));
    }

    [Fact]
    public void AddingToAFullHistoryAllocatesNothing()
    {
        var history = new NodeHistory(capacity: 8, processorCount: 1);
        NodeReading[] readings = [.. Enumerable.Range(0, 64).Select(i => Reading(i * 10, streams: i))];
        for (int i = 0; i < 16; i++)
        {
            history.Add(readings[i]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 16; i < readings.Length; i++)
        {
            history.Add(readings[i]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LossIsThePacketsTheRelayDroppedPerSecondAndTheirShareOfThoseThatArrived()
    {
        var history = new NodeHistory(capacity: 4, processorCount: 1);
        history.Add(Reading(0, packetsIn: 1000, dropped: 100));
        history.Add(Reading(10, packetsIn: 1950, dropped: 150));
        NodeSample sample = history.Snapshot()[1];
        Assert.Equal(5, sample.DroppedPerSecond);
        Assert.Equal(5, sample.LossPercent);
    }

    [Fact]
    public void WithNoTrafficTheLossIsZeroNotNaN()
    {
        Assert.Equal(0, new NodeSample(s_start, 0, 0, 0, 0, 0, 0, 0).LossPercent);
    }

    [Fact]
    public void ADroppedCounterThatWentBackwardsGivesNoLossRatherThanANegativeOne()
    {
        var history = new NodeHistory(capacity: 4, processorCount: 1);
        history.Add(Reading(0, dropped: 500));
        history.Add(Reading(10, dropped: 20));
        Assert.Equal(0, history.Snapshot()[1].DroppedPerSecond);
    }

    private static NodeReading Reading(int seconds, int streams = 0, int viewers = 0, long packetsIn = 0, long packetsOut = 0, long nacks = 0, double cpuSeconds = 0, long memory = 0, long dropped = 0) =>
        new(s_start.AddSeconds(seconds), "node", true, 0, streams, viewers, 0, packetsIn, packetsOut, nacks, 0, memory, TimeSpan.FromSeconds(cpuSeconds), dropped);
}
