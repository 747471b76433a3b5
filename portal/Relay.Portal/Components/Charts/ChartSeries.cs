using System.Globalization;
using Relay.Portal.Node;

namespace Relay.Portal.Components.Charts;

/// <summary>One measure of the node drawn as a chart: its id (for the page), its name, how its values are written, and how it is read from a sample.</summary>
/// <param name="Unit">Written after a value ("%", "MiB", "/s"), or empty.</param>
/// <param name="Format">The numeric format of a value ("F0", "F1").</param>
public sealed record ChartSeries(string Id, string Title, string Unit, string Format, Func<NodeSample, double> Read)
{
    /// <summary>The measures the Nodes page charts, in its order.</summary>
    public static IReadOnlyList<ChartSeries> Node { get; } =
    [
        new("streams", "Streams", "", "F0", static s => s.Streams),
        new("viewers", "Viewers", "", "F0", static s => s.Viewers),
        new("packets-in", "Packets in per second", "/s", "F0", static s => s.PacketsInPerSecond),
        new("packets-out", "Packets out per second", "/s", "F0", static s => s.PacketsOutPerSecond),
        new("loss", "Packets dropped by the relay (loss) per second", "/s", "F1", static s => s.DroppedPerSecond),
        new("nacks", "NACKs (loss reported by viewers) per second", "/s", "F1", static s => s.NacksPerSecond),
        new("cpu", "CPU", "%", "F1", static s => s.CpuPercent),
        new("memory", "Memory (working set)", " MiB", "F0", static s => s.MemoryBytes / (1024.0 * 1024.0)),
    ];

    /// <summary>A value as the page writes it: "12", "3.5 %", "140 MiB".</summary>
    public string Describe(double value) =>
        value.ToString(Format, CultureInfo.InvariantCulture) + (Unit.Length == 0 ? "" : Unit == "%" ? " %" : Unit);

    /// <summary>
    /// The chart in words, for its text alternative: "From 21:00 to 22:00 UTC: now 3, lowest 0, highest 5 (360 samples)."
    /// </summary>
    public string Summarise(IReadOnlyList<NodeSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return "No samples yet.";
        }

        double lowest = double.MaxValue;
        double highest = double.MinValue;
        foreach (NodeSample sample in samples)
        {
            double value = Read(sample);
            lowest = Math.Min(lowest, value);
            highest = Math.Max(highest, value);
        }

        string from = samples[0].At.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        string to = samples[^1].At.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"From {from} to {to} UTC: now {Describe(Read(samples[^1]))}, lowest {Describe(lowest)}, highest {Describe(highest)} ({samples.Count} {(samples.Count == 1 ? "sample" : "samples")}).";
    }
}
