namespace Relay.Control.Location;

/// <summary>A point on the Ordnance Survey National Grid (OSGB36 / British National Grid, EPSG:27700), in metres.</summary>
public readonly record struct GridPosition(double Easting, double Northing)
{
    /// <summary>Whether the point lies in the grid's 700 km x 1300 km extent (where grid letters exist).</summary>
    public bool IsOnGrid => Easting >= 0 && Easting < 700_000 && Northing >= 0 && Northing < 1_300_000;
}
