using Relay.Protocols.Buffers;

namespace Relay.Transport.Peers;

/// <summary>
/// The owner of a <see cref="PeerTransport"/> (a stream or a subscriber): takes the peer's decrypted
/// RTP and RTCP and hears about its state.
/// </summary>
public interface IPeerMediaHandler
{
    /// <summary>
    /// A plaintext RTP packet: <paramref name="packet"/>'s length is the plain length. On the
    /// receive worker. The handler owns the lease and must release it or hand it on exactly once.
    /// </summary>
    void OnRtp(PeerTransport peer, PacketLease packet);

    /// <summary>A plaintext RTCP compound packet, as <see cref="OnRtp"/>.</summary>
    void OnRtcp(PeerTransport peer, PacketLease packet);

    /// <summary>
    /// The transport moved to <paramref name="state"/>: <see cref="PeerTransportState.Connecting"/>,
    /// <see cref="PeerTransportState.Connected"/> (media may be sent from now on), and at most one final
    /// state (<see cref="PeerTransportState.Failed"/> or <see cref="PeerTransportState.Closed"/>, with
    /// <see cref="PeerTransport.Reason"/> set). A state passed through quickly may be skipped; the final
    /// one is reported exactly once. Called on whichever thread caused the change, never under the
    /// transport's lock, so the handler may dispose the transport from here.
    /// </summary>
    void OnStateChanged(PeerTransport peer, PeerTransportState state);
}
