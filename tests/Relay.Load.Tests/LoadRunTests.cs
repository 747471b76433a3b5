namespace Relay.Load.Tests;

/// <summary>
/// A short load run against the real relay process: the suite itself works (sessions, WHIP, WHEP,
/// ICE, DTLS, SRTP, forwarding) and measures what it says. Speed is not asserted here; the figures
/// in bench/RESULTS.md come from longer runs of the load/Relay.Load program.
/// </summary>
public class LoadRunTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ShortRun_ForwardsEveryPublishersPacketsToEachViewer(bool batchedIo)
    {
        var options = new LoadOptions
        {
            Publishers = 2,
            ViewersPerPublisher = 2,
            BitrateKbps = 300,
            WarmUp = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(2),
        };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using RelayProcess relay = await RelayProcess.StartAsync(
            RelayProcess.BuiltRelayDll, options.ApiKey, ["--Relay:Media:BatchedIo=" + (batchedIo ? "true" : "false")], cancel.Token);
        using var http = new HttpClient { BaseAddress = relay.Url, Timeout = TimeSpan.FromSeconds(10) };

        LoadReport report = await new LoadRun(options, new SignallingClient(http, options.ApiKey), relay.Id).RunAsync(cancel.Token);

        Assert.True(report.SentPacketsPerSecond > 0, report.ToString());
        // Two viewers per publisher: about twice what was sent reaches them (loopback, light load).
        Assert.InRange(report.ForwardedPacketsPerSecond / report.SentPacketsPerSecond, 1.5, 2.5);
        Assert.True(report.Loss < 0.05, report.ToString());
        Assert.True(report.RelayCpuSeconds > 0, "the relay's CPU time is read from its process");
        Assert.True(report.RelayGen0Collections >= 0, "the relay exports dotnet_gc_collections_total for gen0");
        Assert.False(double.IsNaN(report.LatencyP99Microseconds), "latency was recorded");
    }

    [Fact]
    public void RelayArguments_AreKeptInOrderForTheRelayTheSuiteStarts()
    {
        LoadOptions options = LoadOptions.Parse(["--relay-arg", "--Relay:Media:BatchedIo=false", "--publishers", "3", "--relay-arg", "--Relay:Media:TickInterval=00:00:00.010"]);

        Assert.Equal(["--Relay:Media:BatchedIo=false", "--Relay:Media:TickInterval=00:00:00.010"], options.RelayArguments);
        Assert.Equal(3, options.Publishers);
    }

    [Fact]
    public void RelayCpu_TakesATasksetCpuListAndRefusesAnythingElse()
    {
        Assert.Equal("0", LoadOptions.Parse(["--relay-cpu", "0"]).RelayCpus);
        Assert.Equal("0-1,3", LoadOptions.Parse(["--relay-cpu", "0-1,3"]).RelayCpus);
        Assert.Null(LoadOptions.Parse([]).RelayCpus);
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--relay-cpu", "0; rm -rf /"]));
    }

    [Fact]
    public async Task RelayStartedOnOneCpu_RunsOnlyThereAndIsTheProcessWhoseCpuTimeIsRead()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
        {
            return;
        }

        var options = new LoadOptions();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using RelayProcess relay = await RelayProcess.StartAsync(RelayProcess.BuiltRelayDll, options.ApiKey, [], cancel.Token, cpus: "1");

        // The id is the relay's own (taskset execs it): its command line names the relay, its affinity is CPU 1 alone.
        string commandLine = (await File.ReadAllTextAsync($"/proc/{relay.Id}/cmdline", cancel.Token)).Replace('\0', ' ');
        Assert.Contains("Relay.Server.dll", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("taskset", commandLine, StringComparison.Ordinal);
        string status = await File.ReadAllTextAsync($"/proc/{relay.Id}/status", cancel.Token);
        Assert.Contains("Cpus_allowed_list:\t1\n", status, StringComparison.Ordinal);
    }
}
