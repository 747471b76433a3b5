using Relay.Portal.Components.Charts;
using Relay.Portal.Node;

namespace Relay.Portal.Tests.Components.Charts;

public sealed class ChartScaleTests
{
    private static readonly DateTimeOffset s_from = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.4, 1)]
    [InlineData(1, 1)]
    [InlineData(1.5, 2)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(10, 10)]
    [InlineData(11, 20)]
    [InlineData(4321, 5000)]
    [InlineData(double.NaN, 1)]
    public void TheTopOfTheAxisIsTheNextRoundNumber(double highest, double top) =>
        Assert.Equal(top, ChartScale.RoundTop(highest));

    [Fact]
    public void TimeRunsAcrossAndValuesRiseFromTheBottom()
    {
        string points = ChartScale.Points([s_from, s_from.AddMinutes(30), s_from.AddHours(1)], [0, 5, 10], s_from, s_from.AddHours(1), 10, 360, 100);
        Assert.Equal("0,100 180,50 360,0", points);
    }

    [Fact]
    public void PointsOutsideTheWindowAreLeftOutAndValuesAboveTheTopAreClamped()
    {
        string points = ChartScale.Points([s_from.AddMinutes(-5), s_from.AddMinutes(6)], [3, 50], s_from, s_from.AddHours(1), 10, 360, 100);
        Assert.Equal("36,0", points);
    }

    [Fact]
    public void TheSummarySaysNowLowestAndHighestInWords()
    {
        ChartSeries cpu = ChartSeries.Node.Single(static s => s.Id == "cpu");
        NodeSample[] samples = [Sample(0, cpu: 2.5), Sample(10, cpu: 40), Sample(20, cpu: 12.2)];
        Assert.Equal("From 12:00 to 12:00 UTC: now 12.2 %, lowest 2.5 %, highest 40.0 % (3 samples).", cpu.Summarise(samples));
    }

    [Fact]
    public void NoSamplesYetIsSaid() =>
        Assert.Equal("No samples yet.", ChartSeries.Node[0].Summarise([]));

    private static NodeSample Sample(int seconds, double cpu) => new(s_from.AddSeconds(seconds), 0, 0, 0, 0, 0, cpu, 0);
}
