namespace Relay.Control.Evidence;

/// <summary>A review decision as recorded against an item.</summary>
/// <param name="At">When it was made.</param>
/// <param name="Category">The item's category after the decision.</param>
/// <param name="NextReviewAt">The item's next review after the decision; null for a dispose decision.</param>
public sealed record EvidenceReviewRecord(
    string ItemId,
    DateTimeOffset At,
    string Actor,
    EvidenceDecision Decision,
    string Reason,
    string Category,
    DateTimeOffset? NextReviewAt);
