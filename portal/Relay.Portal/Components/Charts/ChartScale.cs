using System.Globalization;
using System.Text;

namespace Relay.Portal.Components.Charts;

/// <summary>
/// Where a chart's points go: time across (the window's start at the left edge, its end at the right), value up
/// from zero to a round top (1, 2 or 5 times a power of ten) so the axis reads at a glance.
/// </summary>
public static class ChartScale
{
    /// <summary>The smallest of 1, 2, 5, 10, 20, 50, ... that is at least <paramref name="highest"/> (at least 1).</summary>
    public static double RoundTop(double highest)
    {
        if (!(highest > 1))
        {
            return 1;
        }

        double power = Math.Pow(10, Math.Floor(Math.Log10(highest)));
        foreach (double step in (ReadOnlySpan<double>)[1, 2, 5, 10])
        {
            if (step * power >= highest)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    /// <summary>
    /// The SVG <c>points</c> of a line through (<paramref name="times"/>[i], <paramref name="values"/>[i]) in a
    /// <paramref name="width"/> x <paramref name="height"/> box with y downwards; points outside the window are left out.
    /// </summary>
    public static string Points(IReadOnlyList<DateTimeOffset> times, IReadOnlyList<double> values, DateTimeOffset from, DateTimeOffset to, double top, double width, double height)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Count != values.Count)
        {
            throw new ArgumentException("Every value needs its time.", nameof(values));
        }

        double span = (to - from).TotalSeconds;
        var points = new StringBuilder(times.Count * 12);
        for (int i = 0; i < times.Count; i++)
        {
            double offset = (times[i] - from).TotalSeconds;
            if (span <= 0 || offset < 0 || offset > span)
            {
                continue;
            }

            double x = offset / span * width;
            double y = height - Math.Clamp(values[i] / top, 0, 1) * height;
            if (points.Length > 0)
            {
                points.Append(' ');
            }

            points.Append(x.ToString("0.#", CultureInfo.InvariantCulture)).Append(',').Append(y.ToString("0.#", CultureInfo.InvariantCulture));
        }

        return points.ToString();
    }
}
