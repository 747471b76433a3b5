using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Relay.Control.Evidence.Retention;

/// <summary>
/// A review period as a force writes it: a whole number of years, months or days, in ISO 8601
/// duration form (<c>P10Y</c>, <c>P6M</c>, <c>P31D</c>). Added on the calendar, so "10 years" from
/// 29 February is 28 February, never a count of days that drifts with leap years.
/// </summary>
public readonly record struct RetentionPeriod
{
    /// <summary>The longest period accepted: 100 years (or as many months or days).</summary>
    public const int MaxYears = 100;

    private RetentionPeriod(int count, char unit)
    {
        Count = count;
        Unit = unit;
    }

    /// <summary>How many units.</summary>
    public int Count { get; }

    /// <summary>'Y', 'M' or 'D'.</summary>
    public char Unit { get; }

    public static RetentionPeriod Years(int years) => Create(years, 'Y');

    public static RetentionPeriod Months(int months) => Create(months, 'M');

    public static RetentionPeriod Days(int days) => Create(days, 'D');

    /// <summary>Reads <c>P{n}Y</c>, <c>P{n}M</c> or <c>P{n}D</c> (n from 1, at most 100 years long).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RetentionPeriod period)
    {
        period = default;
        if (text is null || text.Length is < 3 or > 8 || (text[0] != 'P' && text[0] != 'p'))
        {
            return false;
        }

        char unit = char.ToUpperInvariant(text[^1]);
        if (unit is not ('Y' or 'M' or 'D')
            || !int.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || !IsInRange(count, unit))
        {
            return false;
        }

        period = new RetentionPeriod(count, unit);
        return true;
    }

    /// <summary>The date this period after <paramref name="from"/>.</summary>
    public DateTimeOffset AddTo(DateTimeOffset from) => Unit switch
    {
        'Y' => from.AddYears(Count),
        'M' => from.AddMonths(Count),
        _ => from.AddDays(Count),
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"P{Count}{Unit}");

    private static RetentionPeriod Create(int count, char unit) =>
        IsInRange(count, unit) ? new RetentionPeriod(count, unit) : throw new ArgumentOutOfRangeException(nameof(count), count, $"A review period is 1 to {MaxYears} years long.");

    private static bool IsInRange(int count, char unit) => count >= 1 && count <= unit switch
    {
        'Y' => MaxYears,
        'M' => MaxYears * 12,
        _ => MaxYears * 366,
    };
}
