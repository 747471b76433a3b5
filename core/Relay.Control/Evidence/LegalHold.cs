namespace Relay.Control.Evidence;

/// <summary>A hold that keeps an item from disposal until lifted: who placed it, when and why.</summary>
public sealed record LegalHold(string PlacedBy, DateTimeOffset PlacedAt, string Reason);
