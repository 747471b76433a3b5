namespace Relay.Control.Location;

/// <summary>
/// Checks a caller's <see cref="PositionReport"/> and turns it into a <see cref="LocationFix"/>.
/// Anything out of range, not finite, from the future (beyond a small clock skew) or too old is
/// refused with a reason; the caller's page is untrusted input.
/// </summary>
public sealed class PositionValidator
{
    /// <summary>Worse than this is no position at all (a phone with no fix reports tens of km at most).</summary>
    public const double MaxAccuracyMetres = 100_000;

    /// <summary>Faster than any vehicle a caller could be in (about 1,800 km/h).</summary>
    public const double MaxSpeedMetresPerSecond = 500;

    private readonly TimeProvider _time;

    public PositionValidator(TimeProvider time, TimeSpan? maxClockSkew = null, TimeSpan? maxAge = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        MaxClockSkew = maxClockSkew ?? TimeSpan.FromSeconds(30);
        MaxAge = maxAge ?? TimeSpan.FromMinutes(10);
    }

    /// <summary>How far ahead of the relay's clock a phone's clock may run.</summary>
    public TimeSpan MaxClockSkew { get; }

    /// <summary>How old a fix may be when it arrives (a phone replaying a cached position from long ago is not where the caller is).</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>Null and the fix when <paramref name="report"/> is sound; otherwise the reason and no fix.</summary>
    public string? Validate(PositionReport report, out LocationFix? fix)
    {
        ArgumentNullException.ThrowIfNull(report);
        fix = null;
        if (report.Latitude is not double latitude || !double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            return "latitude must be a number from -90 to 90";
        }

        if (report.Longitude is not double longitude || !double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            return "longitude must be a number from -180 to 180";
        }

        if (report.Accuracy is not double accuracy || !double.IsFinite(accuracy) || accuracy <= 0 || accuracy > MaxAccuracyMetres)
        {
            return $"accuracy must be a number of metres above 0 and at most {MaxAccuracyMetres}";
        }

        if (report.Heading is double heading && (!double.IsFinite(heading) || heading is < 0 or > 360))
        {
            return "heading must be null or degrees from 0 to 360";
        }

        if (report.Speed is double speed && (!double.IsFinite(speed) || speed < 0 || speed > MaxSpeedMetresPerSecond))
        {
            return $"speed must be null or metres per second from 0 to {MaxSpeedMetresPerSecond}";
        }

        if (report.Time is not double millis || !double.IsFinite(millis) || millis < 0 || millis > 253_402_300_799_999)
        {
            return "time must be the fix's time in Unix milliseconds";
        }

        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset time = DateTimeOffset.FromUnixTimeMilliseconds((long)millis);
        if (time > now + MaxClockSkew)
        {
            return "time is in the future; check the phone's clock";
        }

        if (time < now - MaxAge)
        {
            return "time is too old to be where the caller is now";
        }

        // A heading of 360 is north, as 0 is; a stationary phone reports NaN, sent as null.
        double? normalisedHeading = report.Heading is double h ? h % 360 : null;
        GridPosition grid = Wgs84ToBritishNationalGrid.Convert(latitude, longitude);
        fix = new LocationFix(latitude, longitude, accuracy, normalisedHeading, report.Speed, time, now, grid, GridReference.Format(grid));
        return null;
    }
}
