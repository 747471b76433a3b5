namespace Relay.Control.Evidence.Retention;

/// <summary>
/// A retention category: data the force keeps and edits (<see cref="IRetentionCategories"/>), named
/// by sessions and evidence items. The first migration seeds the defaults in <see cref="RetentionDefaults"/>.
/// </summary>
/// <param name="Id">A stable id sessions name (1 to 64 of A-Z a-z 0-9 - _ .).</param>
/// <param name="Name">What a person reads, e.g. "MoPI group 2: other sexual, violent or serious offences".</param>
/// <param name="ReviewPeriod">From an item's creation (or a review that retains it) to its next review.</param>
/// <param name="Disposal">What happens at the review date.</param>
/// <param name="IsDefault">The category a session gets when none is named; exactly one category is.</param>
public sealed record RetentionCategory(string Id, string Name, RetentionPeriod ReviewPeriod, RetentionDisposal Disposal, bool IsDefault);
