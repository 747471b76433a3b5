namespace Relay.Recording.Export;

/// <summary>One point of a caller's location trail, as the GPX export takes it.</summary>
/// <param name="Time">When the phone took the fix.</param>
/// <param name="Latitude">WGS 84 degrees, -90 to 90.</param>
/// <param name="Longitude">WGS 84 degrees, -180 to 180.</param>
/// <param name="AccuracyMeters">Horizontal accuracy (95% radius as browsers report it), or null.</param>
/// <param name="AltitudeMeters">Altitude above the WGS 84 ellipsoid, or null.</param>
/// <param name="HeadingDegrees">Direction of travel, degrees clockwise from true north, or null.</param>
/// <param name="SpeedMetersPerSecond">Ground speed, or null.</param>
public readonly record struct LocationPoint(
    DateTimeOffset Time,
    double Latitude,
    double Longitude,
    double? AccuracyMeters = null,
    double? AltitudeMeters = null,
    double? HeadingDegrees = null,
    double? SpeedMetersPerSecond = null);
