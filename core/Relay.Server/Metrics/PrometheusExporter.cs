using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Relay.Server.Metrics;

/// <summary>
/// Renders the observable instruments of one <see cref="Meter"/> in the Prometheus text exposition
/// format 0.0.4. A <see cref="MeterListener"/> enables only that meter's instruments (compared by
/// reference, so two relays in one process never read each other's), and a scrape asks them all
/// for their current values.
/// </summary>
/// <remarks>
/// Names follow Prometheus conventions from the instrument names: dots become underscores and a
/// counter gains <c>_total</c>; units are part of the instrument names (<c>bytes</c>, <c>seconds</c>).
/// Only observable instruments are read: the packet path keeps plain counters and no instrument is
/// touched per packet.
/// </remarks>
internal sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Meter _meter;
    private readonly MeterListener _listener;
    private readonly Lock _scrapeLock = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<Instrument, List<Sample>> _samples = [];

    /// <summary>
    /// The runtime's own meter (.NET 9+): GC collections by generation, heap sizes, CPU time, thread
    /// pool. Exported beside Relay's so that "no gen-0 collections in a steady run" can be checked
    /// from outside the process, as the load suite does.
    /// </summary>
    internal const string RuntimeMeterName = "System.Runtime";

    // The runtime instruments worth a dashboard. Others (dotnet.assembly.count, ...) are left out:
    // their names end in "_count", which Prometheus reserves for histograms and summaries.
    private static readonly HashSet<string> s_runtimeInstruments =
    [
        "dotnet.gc.collections",
        "dotnet.gc.heap.total_allocated",
        "dotnet.gc.pause.time",
        "dotnet.process.cpu.time",
        "dotnet.process.memory.working_set",
        "dotnet.thread_pool.queue.length",
        "dotnet.exceptions",
    ];

    /// <summary>Exports Relay's instruments and the runtime's chosen ones.</summary>
    public PrometheusExporter(RelayMetrics metrics)
        : this(metrics?.Meter ?? throw new ArgumentNullException(nameof(metrics)), includeRuntime: true)
    {
    }

    /// <summary>
    /// Exports the observable instruments of <paramref name="meter"/>, and with
    /// <paramref name="includeRuntime"/> the runtime's chosen ones (GC, CPU, memory).
    /// </summary>
    public PrometheusExporter(Meter meter, bool includeRuntime = false)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _meter = meter;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if ((ReferenceEquals(instrument.Meter, _meter) || (includeRuntime && instrument.Meter.Name == RuntimeMeterName && s_runtimeInstruments.Contains(instrument.Name))) && instrument.IsObservable)
                {
                    lock (_instruments)
                    {
                        _instruments.Add(instrument);
                    }

                    listener.EnableMeasurementEvents(instrument, this);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(static (instrument, value, tags, state) => ((PrometheusExporter)state!).Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>(static (instrument, value, tags, state) => ((PrometheusExporter)state!).Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>(static (instrument, value, tags, state) => ((PrometheusExporter)state!).Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The current value of every instrument, as one exposition.</summary>
    public string Scrape()
    {
        lock (_scrapeLock)
        {
            _samples.Clear();
            _listener.RecordObservableInstruments();
            Instrument[] instruments;
            lock (_instruments)
            {
                instruments = [.. _instruments];
            }

            var text = new StringBuilder(4096);
            foreach (Instrument instrument in instruments)
            {
                WriteFamily(text, instrument, _samples.TryGetValue(instrument, out List<Sample>? samples) ? samples : []);
            }

            _samples.Clear();
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    internal static string MetricName(Instrument instrument)
    {
        var name = new StringBuilder(instrument.Name.Length + 6);
        AppendName(name, instrument.Name);

        if (IsCounter(instrument) && !instrument.Name.EndsWith("_total", StringComparison.Ordinal))
        {
            name.Append("_total");
        }

        return name.ToString();
    }

    // OpenTelemetry names use dots (dotnet.gc.collections, gc.heap.generation); Prometheus names and
    // label names allow only [a-zA-Z0-9_] (and ':' in metric names, which labels never need).
    private static void AppendName(StringBuilder text, string name)
    {
        foreach (char c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
    }

    private static bool IsCounter(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(ObservableCounter<>);

    private static void WriteFamily(StringBuilder text, Instrument instrument, List<Sample> samples)
    {
        string name = MetricName(instrument);
        text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(text, instrument.Description ?? instrument.Name, escapeQuotes: false);
        text.Append('\n');
        text.Append("# TYPE ").Append(name).Append(IsCounter(instrument) ? " counter\n" : " gauge\n");
        foreach (Sample sample in samples)
        {
            text.Append(name);
            if (sample.Tags.Length > 0)
            {
                text.Append('{');
                for (int i = 0; i < sample.Tags.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    AppendName(text, sample.Tags[i].Key);
                    text.Append("=\"");
                    AppendEscaped(text, Convert.ToString(sample.Tags[i].Value, CultureInfo.InvariantCulture) ?? "", escapeQuotes: true);
                    text.Append('"');
                }

                text.Append('}');
            }

            text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
        }
    }

    private static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    // Text format 0.0.4: in HELP, backslash and line feed are escaped; in label values, also the double quote.
    private static void AppendEscaped(StringBuilder text, string value, bool escapeQuotes)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '"' when escapeQuotes:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_samples.TryGetValue(instrument, out List<Sample>? samples))
        {
            samples = [];
            _samples[instrument] = samples;
        }

        samples.Add(new Sample(value, tags.ToArray()));
    }

    private readonly record struct Sample(double Value, KeyValuePair<string, object?>[] Tags);
}
