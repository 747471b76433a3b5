namespace Relay.Control.Negotiation;

/// <summary>
/// Why the relay refuses an offer: a kind to choose the HTTP status and problem type by, and a
/// reason a person can act on (what is wrong, what the relay needs instead).
/// </summary>
public sealed record OfferRejection(OfferRejectionKind Kind, string Reason);
