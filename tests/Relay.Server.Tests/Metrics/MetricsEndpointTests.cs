using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Relay.Server.Media;

namespace Relay.Server.Tests.Metrics;

public sealed partial class MetricsEndpointTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Fact]
    public async Task Metrics_IsPrometheusTextThatPromtoolAccepts()
    {
        HttpResponseMessage response = await fixture.Relay.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        (int exitCode, string output) = await PromtoolCheckAsync(text);
        Assert.True(exitCode == 0, $"promtool check metrics said ({exitCode}): {output}\n{text}");
    }

    [Theory]
    [InlineData("relay_media_port_up 1")]
    [InlineData("relay_streams ")]
    [InlineData("relay_viewers ")]
    [InlineData("relay_rtp_packets_total{direction=\"in\"} ")]
    [InlineData("relay_rtp_packets_total{direction=\"out\"} ")]
    [InlineData("relay_rtp_bytes_total{direction=\"in\"} ")]
    [InlineData("relay_udp_bytes_total{direction=\"out\"} ")]
    [InlineData("relay_packets_dropped_total{layer=\"srtp\",reason=\"authentication_failed\"} ")]
    [InlineData("relay_packets_dropped_total{layer=\"ice\",reason=\"bad_integrity\"} ")]
    [InlineData("relay_packets_dropped_total{layer=\"stream\",reason=\"retransmission_rate_limited\"} ")]
    [InlineData("relay_nacks_received_total ")]
    [InlineData("relay_keyframe_requests_total{type=\"pli\",direction=\"in\"} ")]
    [InlineData("relay_peer_failures_total{cause=\"dtls\"} ")]
    [InlineData("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"} ")]
    [InlineData("dotnet_process_cpu_time_total{cpu_mode=\"user\"} ")]
    public async Task Metrics_HasTheSeries(string series)
    {
        string text = await fixture.Relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("\n" + series, "\n" + text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountWhatTheMediaPortReceivesAndDrops()
    {
        MediaNode node = fixture.Relay.Services.GetRequiredService<MediaNode>();
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        double before = Value(await ScrapeAsync(), "relay_packets_dropped_total{layer=\"ice\",reason=\"unclassified\"}");

        // First byte 0xFF belongs to no protocol on the port (RFC 7983): the ICE-lite server drops it.
        await udp.SendAsync(new byte[] { 0xFF, 1, 2, 3 }, new IPEndPoint(IPAddress.Loopback, node.Socket!.LocalEndPoint.Port));

        var waited = Stopwatch.StartNew();
        string text;
        do
        {
            text = await ScrapeAsync();
        }
        while (Value(text, "relay_packets_dropped_total{layer=\"ice\",reason=\"unclassified\"}") <= before && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.True(Value(text, "relay_packets_dropped_total{layer=\"ice\",reason=\"unclassified\"}") > before, text);
        Assert.True(Value(text, "relay_udp_datagrams_total{direction=\"in\"}") >= 1, text);
        Assert.True(Value(text, "relay_udp_bytes_total{direction=\"in\"}") >= 4, text);
    }

    [Fact]
    public async Task Metrics_LeaveOutInstrumentsOfAnotherMeterNamedRelay()
    {
        using var foreign = new Meter("Relay");
        foreign.CreateObservableGauge("relay.foreign_gauge", () => 7);

        string text = await ScrapeAsync();

        Assert.DoesNotContain("relay_foreign_gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_NeedAnOperatorOrOfficerKeyWhenConfigured()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:Metrics:RequireApiKey=true");
        using HttpClient operatorClient = relay.CreateClient(TestRelay.OperatorKey);
        using HttpClient publisherClient = relay.CreateClient(TestRelay.PublisherKey);

        await ProblemAssert.IsProblemAsync(await relay.Http.GetAsync(new Uri("/metrics", UriKind.Relative)), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await publisherClient.GetAsync(new Uri("/metrics", UriKind.Relative)), HttpStatusCode.Forbidden, "operator");
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    internal static double Value(string text, string series)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No series {series} in:\n{text}");
    }

    internal static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("promtool is needed for this test: install the Debian package prometheus (./relay.sh test does).", e);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.StandardInput.WriteAsync(exposition);
                process.StandardInput.Close();
                Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                return (process.ExitCode, await stdout + await stderr);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }
    }

    private Task<string> ScrapeAsync() => fixture.Relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
}
