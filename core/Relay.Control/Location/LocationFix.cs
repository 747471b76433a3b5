namespace Relay.Control.Location;

/// <summary>A validated position of the caller, with its place on the British National Grid.</summary>
/// <param name="Latitude">WGS84 degrees.</param>
/// <param name="Longitude">WGS84 degrees.</param>
/// <param name="Accuracy">Metres (95% radius), as the phone reported it.</param>
/// <param name="Heading">Degrees clockwise from true north, or null.</param>
/// <param name="Speed">Metres per second, or null.</param>
/// <param name="Time">When the phone took the fix.</param>
/// <param name="ReceivedAt">When the relay received it.</param>
/// <param name="Grid">Eastings and northings (OSGB36 by the Helmert transformation, about 5 m).</param>
/// <param name="GridReference">"TQ 30079 80472", or null outside Great Britain's grid.</param>
public sealed record LocationFix(
    double Latitude,
    double Longitude,
    double Accuracy,
    double? Heading,
    double? Speed,
    DateTimeOffset Time,
    DateTimeOffset ReceivedAt,
    GridPosition Grid,
    string? GridReference);
