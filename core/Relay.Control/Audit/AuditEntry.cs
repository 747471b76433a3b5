namespace Relay.Control.Audit;

/// <summary>
/// One thing that happened, to be appended to the audit log: who did what to which subject, why,
/// and to whom it went (a disclosure's recipient).
/// </summary>
/// <param name="Action">What happened; one of <see cref="AuditActions"/> (or a part's own, lower-case with hyphens).</param>
/// <param name="Actor">Who did it: a user name, an API key's name, or "system"/"cli".</param>
/// <param name="Subject">What it was done to: a session, recording or user.</param>
/// <param name="Reason">Why, in the actor's words, where the action needs a reason.</param>
/// <param name="Recipient">Who received something (a disclosure, an SMS).</param>
/// <param name="Details">Anything else worth keeping, as text; stored as canonical JSON.</param>
public sealed record AuditEntry(
    string Action,
    string Actor,
    string? Subject,
    string? Reason,
    string? Recipient,
    IReadOnlyDictionary<string, string>? Details);
