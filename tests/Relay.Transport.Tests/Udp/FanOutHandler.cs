using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>Sends each datagram it receives on to every viewer, as the media fan-out does, and releases it.</summary>
internal sealed class FanOutHandler(UdpMediaSocket socket, StunTransportAddress[] viewers) : IUdpDatagramHandler
{
    public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
    {
        foreach (StunTransportAddress viewer in viewers)
        {
            socket.TrySend(datagram.Span, viewer);
        }

        datagram.Release();
    }
}
