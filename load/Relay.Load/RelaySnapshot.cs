using System.Diagnostics;
using System.Globalization;

namespace Relay.Load;

/// <summary>
/// The relay at one moment: its CPU time (from the OS), and from its /metrics the gen-0 collections
/// and its own packet counts, so a run can tell loss inside the relay from loss on either side of it.
/// </summary>
internal readonly record struct RelaySnapshot(TimeSpan CpuTime, long Gen0Collections, long RtpIn, long RtpOut, long Dropped)
{
    public static async Task<RelaySnapshot> TakeAsync(SignallingClient signalling, int? processId, CancellationToken cancellationToken)
    {
        TimeSpan cpu = TimeSpan.Zero;
        if (processId is int pid)
        {
            using Process process = Process.GetProcessById(pid);
            cpu = process.TotalProcessorTime;
        }

        string metrics = await signalling.GetTextAsync("/metrics", cancellationToken).ConfigureAwait(false);
        return new RelaySnapshot(
            cpu,
            Sum(metrics, "dotnet_gc_collections_total{", "gc_heap_generation=\"gen0\""),
            Sum(metrics, "relay_rtp_packets_total{", "direction=\"in\""),
            Sum(metrics, "relay_rtp_packets_total{", "direction=\"out\""),
            Sum(metrics, "relay_packets_dropped_total", ""));
    }

    /// <summary>The sum of the samples whose line starts with <paramref name="prefix"/> and contains <paramref name="label"/>; -1 if none.</summary>
    private static long Sum(string metrics, string prefix, string label)
    {
        long sum = -1;
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal)
                && double.TryParse(line.AsSpan(line.LastIndexOf(' ') + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                sum = Math.Max(sum, 0) + (long)value;
            }
        }

        return sum;
    }
}
