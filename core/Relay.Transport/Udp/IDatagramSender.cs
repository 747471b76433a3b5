using Relay.Protocols.Stun;

namespace Relay.Transport.Udp;

/// <summary>Sends a datagram from the shared media port. <see cref="UdpMediaSocket"/> is the real one; tests capture.</summary>
public interface IDatagramSender
{
    /// <summary>
    /// Sends <paramref name="datagram"/> to <paramref name="destination"/> now, without allocating.
    /// Safe to call from any thread.
    /// </summary>
    /// <returns>False if the datagram was not sent (the socket is closed, or the network refused it); it is then counted, not thrown.</returns>
    bool TrySend(ReadOnlySpan<byte> datagram, in StunTransportAddress destination);
}
