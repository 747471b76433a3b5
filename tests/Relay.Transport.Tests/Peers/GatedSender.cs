using System.Collections.Concurrent;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Peers;

/// <summary>
/// The client's socket with switches a test flips: hold back DTLS (so media can be tried before the
/// handshake), corrupt the tag of the next SRTP packet, or capture SRTP instead of sending it.
/// </summary>
internal sealed class GatedSender(IDatagramSender inner) : IDatagramSender
{
    private int _corruptNextRtp;

    public volatile bool HoldDtls;

    public volatile bool CaptureMedia;

    public ConcurrentQueue<byte[]> Captured { get; } = new();

    public void CorruptNextRtp() => Volatile.Write(ref _corruptNextRtp, 1);

    public bool TrySend(ReadOnlySpan<byte> datagram, in StunTransportAddress destination)
    {
        PacketKind kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Dtls && HoldDtls)
        {
            return true;
        }

        if (kind is PacketKind.Rtp or PacketKind.Rtcp && CaptureMedia)
        {
            Captured.Enqueue(datagram.ToArray());
            return true;
        }

        if (kind == PacketKind.Rtp && Interlocked.Exchange(ref _corruptNextRtp, 0) == 1)
        {
            byte[] corrupted = datagram.ToArray();
            corrupted[^1] ^= 0x01;
            return inner.TrySend(corrupted, destination);
        }

        return inner.TrySend(datagram, destination);
    }
}
