using System.Threading.Channels;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>Copies each datagram a socket hands over into a queue the test reads, and releases the lease.</summary>
internal sealed class QueueingDatagramHandler : IUdpDatagramHandler
{
    private readonly Channel<ReceivedDatagram> _received = Channel.CreateUnbounded<ReceivedDatagram>();

    public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
    {
        _received.Writer.TryWrite(new ReceivedDatagram(datagram.Span.ToArray(), source, datagram.Timestamp));
        datagram.Release();
    }

    /// <summary>The next datagram, waiting at most <paramref name="timeout"/> (5 s by default) for it.</summary>
    public async Task<ReceivedDatagram> NextAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        return await _received.Reader.ReadAsync(cancellation.Token);
    }

    public bool TryTake(out ReceivedDatagram datagram) => _received.Reader.TryRead(out datagram!);
}

internal sealed record ReceivedDatagram(byte[] Bytes, StunTransportAddress Source, long Timestamp);
