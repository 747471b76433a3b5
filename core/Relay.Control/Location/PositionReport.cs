namespace Relay.Control.Location;

/// <summary>
/// A position as the caller's browser sends it (the Geolocation API's coordinates), unchecked:
/// every field may be missing or nonsense until <see cref="PositionValidator"/> has passed it.
/// </summary>
/// <param name="Latitude">WGS84 degrees.</param>
/// <param name="Longitude">WGS84 degrees.</param>
/// <param name="Accuracy">Radius of 95% confidence in metres.</param>
/// <param name="Heading">Degrees clockwise from true north, or null when not moving or unknown.</param>
/// <param name="Speed">Metres per second, or null when unknown.</param>
/// <param name="Time">When the phone took the fix, Unix milliseconds.</param>
public sealed record PositionReport(double? Latitude, double? Longitude, double? Accuracy, double? Heading, double? Speed, double? Time);
