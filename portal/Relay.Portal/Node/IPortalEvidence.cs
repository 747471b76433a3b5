using Relay.Control.Evidence;

namespace Relay.Portal.Node;

/// <summary>
/// Evidence as the portal reads and changes it, provided by the relay host over the same catalogue,
/// audit and retention code the <c>/api/evidence</c> endpoints use: a search and opening an item are
/// audited as views before anything is shown; reviews and holds are audited by the catalogue with the change.
/// </summary>
public interface IPortalEvidence
{
    /// <summary>The items matching <paramref name="search"/>, newest first; null when the view could not be audited (nothing may be shown).</summary>
    Task<IReadOnlyList<EvidenceItem>?> SearchAsync(EvidenceSearch search, string actor, CancellationToken cancellationToken = default);

    /// <summary>The item and its review decisions, audited as a view by <paramref name="actor"/>.</summary>
    Task<EvidenceRecord> OpenAsync(string itemId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Records a review decision, as <c>POST /api/evidence/{id}/reviews</c> does.</summary>
    Task<EvidenceChange> ReviewAsync(EvidenceReview review, CancellationToken cancellationToken = default);

    /// <summary>Places a legal hold, as <c>PUT /api/evidence/{id}/hold</c> does.</summary>
    Task<EvidenceChange> PlaceHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>Lifts the legal hold, as <c>DELETE /api/evidence/{id}/hold</c> does.</summary>
    Task<EvidenceChange> LiftHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default);
}

/// <summary>An opened item: the item and its reviews, or why it cannot be shown.</summary>
public sealed record EvidenceRecord(EvidenceItem? Item, IReadOnlyList<EvidenceReviewRecord> Reviews, string? Refusal);

/// <summary>The item after a change, or why the change was refused (in words the person can act on); <see cref="Field"/> names the field at fault.</summary>
public sealed record EvidenceChange(EvidenceItem? Item, string? Refusal, string? Field = null);
