using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;

namespace Relay.Transport.Ice;

/// <summary>
/// The owner of an <see cref="IceLiteAgent"/> (the peer transport above it: DTLS, then SRTP): takes
/// the datagrams ICE has let through and hears about the agent's state.
/// </summary>
public interface IIceLiteAgentHandler
{
    /// <summary>
    /// A DTLS, RTP or RTCP datagram from the agent's selected address, on the server's receive
    /// worker. The handler owns <paramref name="datagram"/> and must release it or hand it on.
    /// </summary>
    void OnDatagram(IceLiteAgent agent, PacketLease datagram, PacketKind kind);

    /// <summary>
    /// The peer nominated <paramref name="address"/>: the first time the agent becomes connected,
    /// later when the peer moved (Wi-Fi to mobile data). On the receive worker; do not block.
    /// </summary>
    void OnSelectedAddressChanged(IceLiteAgent agent, StunTransportAddress address);

    /// <summary>
    /// The peer stopped refreshing consent (RFC 7675): the agent no longer accepts or sends anything.
    /// Called once, from the server's consent sweep.
    /// </summary>
    void OnConsentLost(IceLiteAgent agent);
}
