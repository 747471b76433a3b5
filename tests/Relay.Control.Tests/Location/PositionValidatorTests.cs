using Relay.Control.Location;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Location;

public sealed class PositionValidatorTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static PositionValidator Validator() => new(new ManualTimeProvider(s_now));

    private static double NowMillis => s_now.ToUnixTimeMilliseconds();

    private static PositionReport Valid => new(51.50735, -0.12776, 12, 90, 1.5, NowMillis);

    [Fact]
    public void AcceptsASoundReportAndAddsTheGrid()
    {
        Assert.Null(Validator().Validate(Valid, out LocationFix? fix));

        Assert.NotNull(fix);
        Assert.Equal(51.50735, fix.Latitude);
        Assert.Equal(s_now, fix.Time);
        Assert.Equal(s_now, fix.ReceivedAt);
        Assert.StartsWith("TQ ", fix.GridReference, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsMissingHeadingAndSpeed()
    {
        Assert.Null(Validator().Validate(Valid with { Heading = null, Speed = null }, out LocationFix? fix));
        Assert.Null(fix!.Heading);
        Assert.Null(fix.Speed);
    }

    [Fact]
    public void AHeadingOf360IsNorth()
    {
        Assert.Null(Validator().Validate(Valid with { Heading = 360 }, out LocationFix? fix));
        Assert.Equal(0, fix!.Heading);
    }

    [Fact]
    public void GivesNoGridReferenceOutsideGreatBritain()
    {
        Assert.Null(Validator().Validate(Valid with { Latitude = -33.86, Longitude = 151.21 }, out LocationFix? fix));
        Assert.Null(fix!.GridReference);
    }

    public static TheoryData<string, PositionReport> Hostile => new()
    {
        { "no latitude", Valid with { Latitude = null } },
        { "latitude NaN", Valid with { Latitude = double.NaN } },
        { "latitude above 90", Valid with { Latitude = 90.0001 } },
        { "latitude below -90", Valid with { Latitude = -91 } },
        { "latitude infinite", Valid with { Latitude = double.PositiveInfinity } },
        { "no longitude", Valid with { Longitude = null } },
        { "longitude above 180", Valid with { Longitude = 180.5 } },
        { "longitude below -180", Valid with { Longitude = -1e300 } },
        { "no accuracy", Valid with { Accuracy = null } },
        { "accuracy zero", Valid with { Accuracy = 0 } },
        { "accuracy negative", Valid with { Accuracy = -5 } },
        { "accuracy absurd", Valid with { Accuracy = 1e9 } },
        { "accuracy NaN", Valid with { Accuracy = double.NaN } },
        { "heading negative", Valid with { Heading = -1 } },
        { "heading above 360", Valid with { Heading = 361 } },
        { "heading NaN", Valid with { Heading = double.NaN } },
        { "speed negative", Valid with { Speed = -0.1 } },
        { "speed absurd", Valid with { Speed = 1e6 } },
        { "speed infinite", Valid with { Speed = double.NegativeInfinity } },
        { "no time", Valid with { Time = null } },
        { "time negative", Valid with { Time = -1 } },
        { "time beyond year 9999", Valid with { Time = 1e300 } },
        { "time in the future", Valid with { Time = NowMillis + 60_000 } },
        { "time too old", Valid with { Time = NowMillis - (11 * 60_000) } },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RefusesHostileReportsWithAReason(string what, PositionReport report)
    {
        string? reason = Validator().Validate(report, out LocationFix? fix);

        Assert.False(reason is null, what);
        Assert.Null(fix);
    }

    [Fact]
    public void AllowsASmallClockSkew()
    {
        Assert.Null(Validator().Validate(Valid with { Time = NowMillis + 20_000 }, out _));
    }
}
