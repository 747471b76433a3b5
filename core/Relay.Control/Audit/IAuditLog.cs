namespace Relay.Control.Audit;

/// <summary>
/// The append-only, hash-chained record of who did what: collection, viewing, export, disclosure,
/// erasure of evidence, and sign-ins and role changes. Rows are never changed or removed; each
/// row's hash covers the previous row's hash, so an edit, a removal or a reordering shows up in
/// <see cref="VerifyAsync"/>.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends <paramref name="entry"/> at the end of the chain and returns the stored row.</summary>
    Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain and names the first row that does not verify.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
