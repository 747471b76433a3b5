using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;

namespace Relay.Transport.Udp;

/// <summary>
/// Takes the datagrams a <see cref="UdpMediaSocket"/> receives, one at a time on its receive worker.
/// </summary>
public interface IUdpDatagramHandler
{
    /// <summary>
    /// Handles one datagram. The handler owns <paramref name="datagram"/> from here on: it must
    /// <see cref="PacketLease.Release"/> it, or hand it on, exactly once. Called for one datagram at a
    /// time, never concurrently; it should not block.
    /// </summary>
    /// <param name="datagram">The payload, with <see cref="PacketLease.Length"/> and <see cref="PacketLease.Timestamp"/> set.</param>
    /// <param name="source">Where it came from; an IPv4-mapped address on a dual-stack socket reads as IPv4.</param>
    void OnDatagram(PacketLease datagram, in StunTransportAddress source);
}
