using Relay.Control.Location;

namespace Relay.Control.Tests.Location;

public sealed class GridReferenceTests
{
    [Theory]
    [InlineData(530079.4, 180472.9, 5, "TQ 30079 80472")]
    [InlineData(651409.903, 313177.270, 5, "TG 51409 13177")]
    [InlineData(651409.903, 313177.270, 3, "TG 514 131")]
    [InlineData(0, 0, 5, "SV 00000 00000")]
    [InlineData(216600, 771200, 4, "NN 1660 7120")]
    [InlineData(699999, 1299999, 1, "JM 9 9")]
    [InlineData(100000, 1000000, 5, "HW 00000 00000")]
    public void FormatsLettersAndFigures(double easting, double northing, int digits, string expected) =>
        Assert.Equal(expected, GridReference.Format(new GridPosition(easting, northing), digits));

    [Theory]
    [InlineData(-1, 100)]
    [InlineData(100, -0.5)]
    [InlineData(700000, 100)]
    [InlineData(100, 1300000)]
    [InlineData(double.NaN, 100)]
    public void IsNullOffTheGrid(double easting, double northing) =>
        Assert.Null(GridReference.Format(new GridPosition(easting, northing)));

    [Fact]
    public void AWgs84PointInLondonGetsItsReference()
    {
        // Near Charing Cross: the Helmert route is within a few metres of OS's figures.
        GridPosition grid = Wgs84ToBritishNationalGrid.Convert(51.50735, -0.12776);

        Assert.StartsWith("TQ 30", GridReference.Format(grid), StringComparison.Ordinal);
    }
}
