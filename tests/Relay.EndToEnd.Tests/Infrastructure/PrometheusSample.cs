using System.Globalization;

namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>One scrape of the Prometheus text format: each series' value, and sums per metric name.</summary>
public sealed class PrometheusSample
{
    private readonly Dictionary<string, double> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _sums = new(StringComparer.Ordinal);

    public string Text { get; private init; } = string.Empty;

    public static PrometheusSample Parse(string text)
    {
        var sample = new PrometheusSample { Text = text };
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp]
            int labels = line.IndexOf('{', StringComparison.Ordinal);
            int headEnd = labels < 0 ? line.IndexOf(' ', StringComparison.Ordinal) : line.LastIndexOf('}') + 1;
            if (headEnd <= 0)
            {
                continue;
            }

            string head = line[..headEnd];
            string valueText = line[headEnd..].Trim().Split(' ')[0];
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }

            string name = labels < 0 ? head : head[..labels];
            sample._series[head] = value;
            sample._sums[name] = sample._sums.GetValueOrDefault(name) + value;
        }

        return sample;
    }

    /// <summary>The sum of every series of <paramref name="name"/> (0 when absent).</summary>
    public double Sum(string name) => _sums.GetValueOrDefault(name);

    public bool Has(string name) => _sums.ContainsKey(name);

    /// <summary>The sum of the series of <paramref name="name"/> whose labels contain <paramref name="labelFragment"/>.</summary>
    public double Sum(string name, string labelFragment)
    {
        double sum = 0;
        foreach (KeyValuePair<string, double> series in _series)
        {
            if (series.Key.StartsWith(name + "{", StringComparison.Ordinal) && series.Key.Contains(labelFragment, StringComparison.Ordinal))
            {
                sum += series.Value;
            }
        }

        return sum;
    }
}
