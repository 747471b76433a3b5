using Relay.Control.Evidence;

namespace Relay.Portal.Access;

/// <summary>The Evidence page's search as entered, turned into an <see cref="EvidenceSearch"/>.</summary>
public sealed class EvidenceFilter
{
    public const int Limit = 100;

    public string? Incident { get; set; }

    public string? Phone { get; set; }

    public string? Officer { get; set; }

    /// <summary>The first day (UTC) the item was created on.</summary>
    public DateOnly? From { get; set; }

    /// <summary>The last day (UTC), included.</summary>
    public DateOnly? To { get; set; }

    /// <summary>The search; blank fields match everything.</summary>
    public EvidenceSearch ToSearch() => new()
    {
        Incident = Blank(Incident),
        Phone = Blank(Phone)?.Replace(" ", "", StringComparison.Ordinal),
        Officer = Blank(Officer),
        From = From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To = To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        Limit = Limit,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
