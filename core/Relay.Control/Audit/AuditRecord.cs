namespace Relay.Control.Audit;

/// <summary>One row of the audit log as stored.</summary>
/// <param name="Sequence">1 for the first row, then one more for each row; never reused.</param>
/// <param name="Time">When it was appended (UTC).</param>
/// <param name="PreviousHash">The previous row's <paramref name="Hash"/> (64 zeros before the first row), hex.</param>
/// <param name="Hash">SHA-256 over the previous hash and this row's canonical bytes, hex.</param>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset Time,
    string Actor,
    string Action,
    string? Subject,
    string? Reason,
    string? Recipient,
    IReadOnlyDictionary<string, string> Details,
    string PreviousHash,
    string Hash);
