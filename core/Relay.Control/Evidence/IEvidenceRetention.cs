namespace Relay.Control.Evidence;

/// <summary>
/// Retention of evidence items: review decisions, legal holds and disposal. Every change is written
/// to the audit log in the same transaction as the change (review; alteration for holds; erasure).
/// Refusals are <see cref="EvidenceCatalogueException"/>s.
/// </summary>
public interface IEvidenceRetention
{
    /// <summary>The item's review decisions, oldest first.</summary>
    Task<IReadOnlyList<EvidenceReviewRecord>> ListReviewsAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Records a review decision; the item's category and next review follow it. Returns the item after it.</summary>
    Task<EvidenceItem> ReviewAsync(EvidenceReview review, CancellationToken cancellationToken = default);

    /// <summary>Places a legal hold (blocks disposal, in the catalogue and in the evidence store).</summary>
    Task<EvidenceItem> PlaceLegalHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>Lifts the item's legal hold; disposal follows the item's retention again.</summary>
    Task<EvidenceItem> LiftLegalHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Items not held whose category disposes at a review date that has come (<paramref name="now"/>),
    /// or that a review decided to dispose; oldest review date first.
    /// </summary>
    Task<IReadOnlyList<EvidenceDisposal>> FindDueForDisposalAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// After the item's objects and local files are deleted: deletes its catalogue rows, redacts the
    /// caller's number on its session, and appends the "erasure" audit entry (by <paramref name="actor"/>,
    /// with <paramref name="details"/> saying what was deleted), all in one transaction. False (and
    /// nothing changed) when the item is gone, or was held or retained since it was found due.
    /// </summary>
    Task<bool> CompleteDisposalAsync(EvidenceDisposal disposal, string actor, IReadOnlyDictionary<string, string> details, CancellationToken cancellationToken = default);
}
