namespace Relay.Control.Audit;

/// <summary>
/// Which audit rows to read; every set field must match. Rows come in sequence order; page with
/// <see cref="AfterSequence"/> set to the last sequence of the previous page.
/// </summary>
public sealed record AuditQuery
{
    public const int MaxLimit = 1000;

    public string? Action { get; init; }

    public string? Actor { get; init; }

    public string? Subject { get; init; }

    /// <summary>Rows at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Rows before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only rows with a larger sequence (keyset paging).</summary>
    public long AfterSequence { get; init; }

    /// <summary>At most this many rows (1 to <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = 100;
}
