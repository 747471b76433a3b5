using Relay.Control.Evidence;
using Relay.Control.Evidence.Retention;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>A retention category as the API shows it.</summary>
internal sealed record CategoryResponse(string Id, string Name, string ReviewPeriod, string Disposal, bool Default)
{
    public static CategoryResponse From(RetentionCategory category) =>
        new(category.Id, category.Name, category.ReviewPeriod.ToString(), RetentionCategories.DisposalText(category.Disposal), category.IsDefault);
}

/// <summary>A review decision as the API shows it.</summary>
internal sealed record ReviewResponse(DateTimeOffset At, string Actor, string Decision, string Reason, string Category, DateTimeOffset? NextReviewAt)
{
    public static ReviewResponse From(EvidenceReviewRecord review) =>
        new(review.At, review.Actor, SqliteEvidenceCatalogue.DecisionText(review.Decision), review.Reason, review.Category, review.NextReviewAt);
}

/// <summary>An evidence item with its recordings, and (for one item) its review decisions.</summary>
internal sealed record EvidenceItemResponse(
    string Id,
    string Incident,
    string Phone,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string Category,
    DateTimeOffset NextReviewAt,
    LegalHold? LegalHold,
    IReadOnlyList<EvidenceRecording> Recordings,
    IReadOnlyList<ReviewResponse>? Reviews)
{
    public static EvidenceItemResponse From(EvidenceItem item, IReadOnlyList<EvidenceReviewRecord>? reviews = null) => new(
        item.Id,
        item.Incident,
        item.Phone,
        item.CreatedBy,
        item.CreatedAt,
        item.Category,
        item.NextReviewAt,
        item.LegalHold,
        item.Recordings,
        reviews?.Select(ReviewResponse.From).ToList());
}
