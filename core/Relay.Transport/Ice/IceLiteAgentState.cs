namespace Relay.Transport.Ice;

/// <summary>Where an <see cref="IceLiteAgent"/> is in its life.</summary>
public enum IceLiteAgentState
{
    /// <summary>Registered; answering checks, but no address is nominated, so no media is accepted.</summary>
    New = 0,

    /// <summary>A pair is selected: media and DTLS from that address are accepted and may be sent to it.</summary>
    Connected = 1,

    /// <summary>No authenticated check arrived within the consent timeout (RFC 7675): nothing is accepted or sent. Final.</summary>
    ConsentLost = 2,

    /// <summary>Unregistered from its server. Final.</summary>
    Closed = 3,
}
