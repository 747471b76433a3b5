namespace Relay.Media.Tests;

/// <summary>
/// A clock that moves only when told, at nanosecond resolution, so time-based behaviour is tested
/// without sleeping (after YARP's TestTimeProvider).
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    public const long Frequency = 1_000_000_000;

    private long _now;

    public ManualTimeProvider(long start = 5_000_000_000)
    {
        _now = start;
    }

    public override long TimestampFrequency => Frequency;

    public long Now => _now;

    public override long GetTimestamp() => _now;

    public long Advance(TimeSpan by)
    {
        _now += Ticks(by);
        return _now;
    }

    public static long Ticks(TimeSpan duration) => duration.Ticks * (Frequency / TimeSpan.TicksPerSecond);

    public static long Milliseconds(double milliseconds) => Ticks(TimeSpan.FromMilliseconds(milliseconds));
}
