using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Relay.Control.Audit;
using Relay.Control.Evidence;
using Relay.Server.Audit;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>
/// The "view" audit entries for reading evidence, one shape for the HTTP API and the portal: a search
/// (its fields, the number masked) and opening an item. Evidence is not shown without its record.
/// </summary>
internal static class EvidenceViewAudit
{
    public static AuditEntry Search(string actor, EvidenceSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["what"] = "evidence-search" };
        AddIf(details, "incident", search.Incident);
        AddIf(details, "phone", search.Phone is null ? null : AuditTrail.MaskPhone(search.Phone));
        AddIf(details, "officer", search.Officer);
        AddIf(details, "from", search.From?.ToString("O", CultureInfo.InvariantCulture));
        AddIf(details, "to", search.To?.ToString("O", CultureInfo.InvariantCulture));
        return new AuditEntry(AuditActions.View, actor, null, null, null, details);
    }

    public static AuditEntry Record(string actor, string itemId) =>
        new(AuditActions.View, actor, itemId, null, null, new Dictionary<string, string>(StringComparer.Ordinal) { ["what"] = "evidence-record" });

    /// <summary>False when the entry could not be appended: the caller then shows nothing.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "Evidence is not shown without its record: a failed append refuses the read.")]
    public static async Task<bool> TryAppendAsync(IAuditLog audit, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(audit);
        try
        {
            await audit.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static void AddIf(Dictionary<string, string> details, string key, string? value)
    {
        if (value is not null)
        {
            details[key] = value;
        }
    }
}
