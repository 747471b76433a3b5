using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Relay.Bench;

/// <summary>
/// Runs the suites (<c>dotnet run -c Release --project bench/Relay.Bench -- --filter '*'</c>) and then
/// checks each benchmark's allocated bytes per operation against expected-allocations.json, so an
/// allocation sneaking onto the packet path fails the run rather than going unnoticed.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // The measured commands that are not BenchmarkDotNet suites (each needs a long set-up or other processes).
        switch (args.Length > 0 ? args[0] : null)
        {
            case "recording-cpu":
                return Recording.RecordingCpuCost.Run(args);
            case "export":
                return Recording.ExportThroughput.Run(args);
            case "kernel-floor":
                return Transport.KernelForwardingFloor.Run(args);
        }

        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);

        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return AllocationExpectations.Check(summaries, Console.Out) ? 0 : 1;
    }
}

/// <summary>Expected allocated bytes per operation, kept as data beside the benchmarks (Garnet keeps its own the same way).</summary>
internal static class AllocationExpectations
{
    private const string FileName = "expected-allocations.json";

    public static bool Check(IEnumerable<Summary> summaries, TextWriter output)
    {
        Dictionary<string, long> expected = Load();
        bool ok = true;
        foreach (Summary summary in summaries)
        {
            foreach (BenchmarkReport report in summary.Reports)
            {
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                if (allocated is null)
                {
                    continue;
                }

                string key = report.BenchmarkCase.Descriptor.Type.Name + "." + report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
                long limit = expected.TryGetValue(key, out long value) ? value : 0;
                if (allocated > limit)
                {
                    output.WriteLine($"ALLOCATION REGRESSION: {key} allocated {allocated} B/op, expected at most {limit} B/op ({FileName}).");
                    ok = false;
                }
            }
        }

        if (ok)
        {
            output.WriteLine($"Allocations: every benchmark within {FileName} (absent means 0 B/op).");
        }

        return ok;
    }

    private static Dictionary<string, long> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        return JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path)) ?? [];
    }
}
