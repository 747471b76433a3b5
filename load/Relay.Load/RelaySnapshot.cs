using System.Diagnostics;
using System.Globalization;

namespace Relay.Load;

/// <summary>The relay's CPU time (from the OS) and gen-0 collections (from its /metrics) at one moment.</summary>
internal readonly record struct RelaySnapshot(TimeSpan CpuTime, long Gen0Collections)
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
        return new RelaySnapshot(cpu, ReadGen0(metrics));
    }

    /// <summary>
    /// The runtime's <c>dotnet.gc.collections</c> counter for generation 0, as the relay exports it;
    /// -1 when the relay does not export it.
    /// </summary>
    private static long ReadGen0(string metrics)
    {
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith("dotnet_gc_collections", StringComparison.Ordinal) && line.Contains("gen0", StringComparison.Ordinal))
            {
                string value = line[(line.LastIndexOf(' ') + 1)..];
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double count))
                {
                    return (long)count;
                }
            }
        }

        return -1;
    }
}
