namespace Relay.Control.Audit;

/// <summary>What <see cref="IAuditLog.VerifyAsync"/> found.</summary>
/// <param name="RowsChecked">Rows read before the first break (all of them when intact).</param>
/// <param name="BrokenSequence">The first row that does not verify (the sequence expected, for a missing row); null when intact.</param>
/// <param name="Problem">What is wrong with that row, for a person; null when intact.</param>
public sealed record AuditVerification(long RowsChecked, long? BrokenSequence, string? Problem)
{
    public bool IsIntact => BrokenSequence is null;
}
