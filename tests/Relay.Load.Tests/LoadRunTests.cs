namespace Relay.Load.Tests;

/// <summary>
/// A short load run against the real relay process: the suite itself works (sessions, WHIP, WHEP,
/// ICE, DTLS, SRTP, forwarding) and measures what it says. Speed is not asserted here; the figures
/// in bench/RESULTS.md come from longer runs of the load/Relay.Load program.
/// </summary>
public class LoadRunTests
{
    [Fact]
    public async Task ShortRun_ForwardsEveryPublishersPacketsToEachViewer()
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
        using RelayProcess relay = await RelayProcess.StartAsync(RelayProcess.BuiltRelayDll, options.ApiKey, cancel.Token);
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
}
