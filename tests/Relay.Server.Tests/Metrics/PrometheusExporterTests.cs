using System.Diagnostics.Metrics;
using Relay.Server.Metrics;

namespace Relay.Server.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Scrape_NamesCountersWithTotal_EscapesHelpAndLabels_AndKeepsEachSeries()
    {
        using var meter = new Meter("Relay.Test." + Guid.NewGuid().ToString("N"));
        meter.CreateObservableCounter(
            "test.requests",
            () => new[] { new Measurement<long>(3, new KeyValuePair<string, object?>("path", "a\"b\\c\nd")), new Measurement<long>(4, new KeyValuePair<string, object?>("path", "/")) },
            description: "Requests \\ seen\nso far.");
        meter.CreateObservableGauge("test.ratio", () => 0.25, description: "A ratio.");
        meter.CreateObservableUpDownCounter("test.open", () => -2L, description: "Open things.");
        using var exporter = new PrometheusExporter(meter);

        string text = exporter.Scrape();

        Assert.Equal(
            "# HELP test_requests_total Requests \\\\ seen\\nso far.\n"
            + "# TYPE test_requests_total counter\n"
            + "test_requests_total{path=\"a\\\"b\\\\c\\nd\"} 3\n"
            + "test_requests_total{path=\"/\"} 4\n"
            + "# HELP test_ratio A ratio.\n"
            + "# TYPE test_ratio gauge\n"
            + "test_ratio 0.25\n"
            + "# HELP test_open Open things.\n"
            + "# TYPE test_open gauge\n"
            + "test_open -2\n",
            text);
    }

    [Fact]
    public async Task Scrape_OfEscapedLabelsIsAcceptedByPromtool()
    {
        using var meter = new Meter("Relay.Test." + Guid.NewGuid().ToString("N"));
        meter.CreateObservableCounter("test.events", () => new Measurement<long>(1, new KeyValuePair<string, object?>("kind", "quote\" and \\ and\nline")), description: "Events.");
        using var exporter = new PrometheusExporter(meter);

        (int exitCode, string output) = await MetricsEndpointTests.PromtoolCheckAsync(exporter.Scrape());

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Scrape_ReadsTheCurrentValueEachTime()
    {
        using var meter = new Meter("Relay.Test." + Guid.NewGuid().ToString("N"));
        long value = 1;
        meter.CreateObservableCounter("test.count", () => value, description: "A count.");
        using var exporter = new PrometheusExporter(meter);

        Assert.Contains("test_count_total 1\n", exporter.Scrape(), StringComparison.Ordinal);
        value = 42;
        Assert.Contains("test_count_total 42\n", exporter.Scrape(), StringComparison.Ordinal);
    }
}
