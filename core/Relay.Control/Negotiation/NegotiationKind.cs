namespace Relay.Control.Negotiation;

/// <summary>Which side of the relay an offer/answer sets up.</summary>
public enum NegotiationKind
{
    /// <summary>WHIP (RFC 9725): a publisher sends media, the relay receives.</summary>
    Whip,

    /// <summary>WHEP: a viewer receives, the relay sends the published stream.</summary>
    Whep,
}
