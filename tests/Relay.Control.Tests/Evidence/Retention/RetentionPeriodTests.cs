using Relay.Control.Evidence.Retention;

namespace Relay.Control.Tests.Evidence.Retention;

public sealed class RetentionPeriodTests
{
    [Theory]
    [InlineData("P10Y", 10, 'Y')]
    [InlineData("P6M", 6, 'M')]
    [InlineData("P31D", 31, 'D')]
    [InlineData("p1y", 1, 'Y')]
    [InlineData("P100Y", 100, 'Y')]
    public void ParsesOneWholeUnit(string text, int count, char unit)
    {
        Assert.True(RetentionPeriod.TryParse(text, out RetentionPeriod period));
        Assert.Equal((count, unit), (period.Count, period.Unit));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("10Y")]
    [InlineData("P0D")]
    [InlineData("P-1Y")]
    [InlineData("P101Y")]
    [InlineData("P1W")]
    [InlineData("P1Y2M")]
    [InlineData("PT10H")]
    [InlineData("P99999999999D")]
    [InlineData("P 1Y")]
    public void RefusesAnythingElse(string? text) => Assert.False(RetentionPeriod.TryParse(text, out _));

    [Fact]
    public void YearsAreAddedOnTheCalendar()
    {
        var leapDay = new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2034, 2, 28, 12, 0, 0, TimeSpan.Zero), RetentionPeriod.Years(10).AddTo(leapDay));
        Assert.Equal(leapDay.AddDays(31), RetentionPeriod.Days(31).AddTo(leapDay));
        Assert.Equal("P6Y", RetentionPeriod.Years(6).ToString());
    }
}
