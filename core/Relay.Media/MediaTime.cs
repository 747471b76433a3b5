namespace Relay.Media;

/// <summary>
/// Conversions between <see cref="TimeProvider"/> timestamp ticks, <see cref="TimeSpan"/>s and RTP
/// clock units. The packet path carries time as <c>long</c> ticks from
/// <see cref="TimeProvider.GetTimestamp"/> so the worker reads the clock once per batch and tests
/// inject any time they like.
/// </summary>
internal static class MediaTime
{
    /// <summary>A duration as timestamp ticks of a clock running at <paramref name="frequency"/> Hz.</summary>
    public static long ToTicks(TimeSpan duration, long frequency, string paramName)
    {
        if (duration < TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName);
        }

        // Split so hours at nanosecond frequencies do not overflow.
        long whole = duration.Ticks / TimeSpan.TicksPerSecond;
        long rest = duration.Ticks % TimeSpan.TicksPerSecond;
        return checked((whole * frequency) + (rest * frequency / TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// A non-negative tick count as units of a clock running at <paramref name="rate"/> Hz (an RTP clock
    /// rate, or 65536 for the 1/65536 s of RTCP's DLSR), rounded down.
    /// </summary>
    public static long Scale(long ticks, long frequency, long rate)
    {
        // Divide first, then scale the remainder: exact, and no overflow for days of ticks.
        long whole = ticks / frequency;
        long rest = ticks % frequency;
        return (whole * rate) + (rest * rate / frequency);
    }

    /// <summary>The frequency of <paramref name="timeProvider"/>, checked to be usable.</summary>
    public static long FrequencyOf(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        long frequency = timeProvider.TimestampFrequency;
        if (frequency <= 0)
        {
            ThrowHelper.ThrowArgument("The time provider's timestamp frequency must be positive.", nameof(timeProvider));
        }

        return frequency;
    }
}
