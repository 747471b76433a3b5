namespace Relay.Control.Evidence;

/// <summary>A review decision to record (<see cref="IEvidenceRetention.ReviewAsync"/>).</summary>
/// <param name="ItemId">The item reviewed.</param>
/// <param name="Decision">What was decided.</param>
/// <param name="Reason">Why, in the reviewer's words (required).</param>
/// <param name="Actor">The reviewer.</param>
/// <param name="NextReviewAt">For <see cref="EvidenceDecision.Retain"/>: the next review date (in the future); null for the category's period from now.</param>
/// <param name="Category">For <see cref="EvidenceDecision.Recategorise"/>: the new category's id.</param>
public sealed record EvidenceReview(
    string ItemId,
    EvidenceDecision Decision,
    string Reason,
    string Actor,
    DateTimeOffset? NextReviewAt = null,
    string? Category = null);
