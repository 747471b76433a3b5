namespace Relay.Control.Evidence;

/// <summary>An item due for disposal and why (<see cref="IEvidenceRetention.FindDueForDisposalAsync"/>).</summary>
/// <param name="Item">The item, with its recordings.</param>
/// <param name="Basis">"category" (its category disposes at the review date) or "decision" (a review decided to dispose).</param>
/// <param name="Reason">Why, in words, for the store's tombstones and the audit log.</param>
public sealed record EvidenceDisposal(EvidenceItem Item, string Basis, string Reason);
