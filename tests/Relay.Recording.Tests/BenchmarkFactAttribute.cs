namespace Relay.Recording.Tests;

/// <summary>
/// A measurement rather than a test: skipped unless RELAY_EXPORT_BENCH is set, because it takes a
/// minute and its figures (for bench/RESULTS.md) mean something only on a quiet machine.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("RELAY_EXPORT_BENCH") is null)
        {
            Skip = "a measurement: set RELAY_EXPORT_BENCH=1 to run it";
        }
    }
}
