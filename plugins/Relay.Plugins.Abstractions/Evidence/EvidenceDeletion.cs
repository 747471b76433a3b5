namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>
/// Why an object is being deleted and on whose authority, kept by the store as a tombstone beside
/// where the object was. The system's audit log (hash-chained, in Relay.Control) is the record of
/// authority; the tombstone lets someone looking at the store alone see that a deletion was intended.
/// </summary>
/// <param name="Actor">Who asked (a user name, or <c>retention</c> for scheduled disposal).</param>
/// <param name="Reason">Why, in words (a review decision, a disposal rule).</param>
public sealed record EvidenceDeletion(string Actor, string Reason)
{
    public string Actor { get; } = string.IsNullOrWhiteSpace(Actor) ? throw new ArgumentException("A deletion needs an actor.", nameof(Actor)) : Actor;

    public string Reason { get; } = string.IsNullOrWhiteSpace(Reason) ? throw new ArgumentException("A deletion needs a reason.", nameof(Reason)) : Reason;
}
