using Relay.Control.Location;

namespace Relay.Control.Tests.Location;

public sealed class Wgs84ToBritishNationalGridTests
{
    private static double Dms(int degrees, int minutes, double seconds) => degrees + (minutes / 60.0) + (seconds / 3600.0);

    // "A guide to coordinate systems in Great Britain", Annex C worked example: OSGB36
    // 52°39'27.2531"N 1°43'4.5177"E projects to E 651409.903, N 313177.270.
    [Fact]
    public void ProjectionMatchesTheOrdnanceSurveyWorkedExample()
    {
        GridPosition grid = Wgs84ToBritishNationalGrid.Project(Dms(52, 39, 27.2531), Dms(1, 43, 4.5177));

        Assert.Equal(651409.903, grid.Easting, 0.01);
        Assert.Equal(313177.270, grid.Northing, 0.01);
    }

    // Annex B worked example: 52°39'27.2531"N 1°43'4.5177"E, 24.700 m on Airy 1830 is
    // X 3874938.849, Y 116218.624, Z 5047168.208; and back again.
    [Fact]
    public void CartesianConversionMatchesTheOrdnanceSurveyWorkedExample()
    {
        double phi = Dms(52, 39, 27.2531) * Math.PI / 180;
        double lambda = Dms(1, 43, 4.5177) * Math.PI / 180;

        (double x, double y, double z) = Wgs84ToBritishNationalGrid.ToCartesian(phi, lambda, 24.700, 6_377_563.396, 6_356_256.909);
        (double phiBack, double lambdaBack) = Wgs84ToBritishNationalGrid.ToGeodetic(x, y, z, 6_377_563.396, 6_356_256.909);

        Assert.Equal(3874938.849, x, 0.01);
        Assert.Equal(116218.624, y, 0.01);
        Assert.Equal(5047168.208, z, 0.01);
        Assert.Equal(phi, phiBack, 1e-10);
        Assert.Equal(lambda, lambdaBack, 1e-10);
    }

    // The guide's OSTN15 example point (Caister water tower): ETRS89 52°39'28.8282"N 1°42'57.8663"E
    // is E 651409.804, N 313177.450 on the National Grid. The Helmert route must land within 5 m.
    [Fact]
    public void HelmertRouteLandsWithinFiveMetresOfTheOrdnanceSurveyFigures()
    {
        GridPosition grid = Wgs84ToBritishNationalGrid.Convert(Dms(52, 39, 28.8282), Dms(1, 42, 57.8663));

        double error = Math.Sqrt(Math.Pow(grid.Easting - 651409.804, 2) + Math.Pow(grid.Northing - 313177.450, 2));
        Assert.True(error < 5, $"({grid.Easting:F3}, {grid.Northing:F3}) is {error:F2} m from the OS figures");
    }

    [Fact]
    public void TheTrueOriginProjectsToTheFalseOriginOffsets()
    {
        GridPosition grid = Wgs84ToBritishNationalGrid.Project(49, -2);

        Assert.Equal(400000, grid.Easting, 0.001);
        Assert.Equal(-100000, grid.Northing, 0.001);
    }
}
