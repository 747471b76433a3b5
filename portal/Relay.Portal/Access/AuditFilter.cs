using System.Globalization;
using System.Text;
using Relay.Control.Audit;

namespace Relay.Portal.Access;

/// <summary>The Audit page's filter as entered, turned into an <see cref="AuditQuery"/>.</summary>
public sealed class AuditFilter
{
    public const int PageSize = 100;

    /// <summary>The actions the page suggests: every one the relay writes (<see cref="AuditActions.All"/>).</summary>
    public static IReadOnlyList<string> KnownActions => AuditActions.All;

    public string? Action { get; set; }

    public string? Actor { get; set; }

    public string? Subject { get; set; }

    /// <summary>The first day (UTC) to show.</summary>
    public DateOnly? From { get; set; }

    /// <summary>The last day (UTC) to show, included.</summary>
    public DateOnly? To { get; set; }

    /// <summary>The query for the page after row <paramref name="afterSequence"/>; blank fields match everything.</summary>
    public AuditQuery ToQuery(long afterSequence) => new()
    {
        Action = Blank(Action),
        Actor = Blank(Actor),
        Subject = Blank(Subject),
        From = From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        To = To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        AfterSequence = afterSequence,
        Limit = PageSize,
    };

    /// <summary>A row's reason, recipient and details on one line: "reason: ...; to: ...; key=value, ...".</summary>
    public static string Describe(AuditRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var text = new StringBuilder();
        if (row.Reason is { Length: > 0 } reason)
        {
            text.Append("reason: ").Append(reason);
        }

        if (row.Recipient is { Length: > 0 } recipient)
        {
            Separate(text).Append("to: ").Append(recipient);
        }

        if (row.Details.Count > 0)
        {
            Separate(text);
            bool first = true;
            foreach (KeyValuePair<string, string> detail in row.Details)
            {
                if (!first)
                {
                    text.Append(", ");
                }

                text.Append(CultureInfo.InvariantCulture, $"{detail.Key}={detail.Value}");
                first = false;
            }
        }

        return text.ToString();
    }

    private static StringBuilder Separate(StringBuilder text) => text.Length > 0 ? text.Append("; ") : text;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
