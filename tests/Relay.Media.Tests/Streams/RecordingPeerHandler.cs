using System.Collections.Concurrent;
using Relay.Protocols.Buffers;
using Relay.Transport.Peers;

namespace Relay.Media.Tests.Streams;

/// <summary>What a test peer (publisher or viewer) received from the relay, as plaintext copies.</summary>
internal sealed class RecordingPeerHandler : IPeerMediaHandler
{
    private long _rtpCount;
    private long _rtcpCount;

    public ConcurrentQueue<byte[]> Rtp { get; } = new();

    public ConcurrentQueue<byte[]> Rtcp { get; } = new();

    public long RtpCount => Volatile.Read(ref _rtpCount);

    public long RtcpCount => Volatile.Read(ref _rtcpCount);

    public void OnRtp(PeerTransport peer, PacketLease packet)
    {
        Rtp.Enqueue(packet.Span.ToArray());
        Interlocked.Increment(ref _rtpCount);
        packet.Release();
    }

    public void OnRtcp(PeerTransport peer, PacketLease packet)
    {
        Rtcp.Enqueue(packet.Span.ToArray());
        Interlocked.Increment(ref _rtcpCount);
        packet.Release();
    }

    public void OnStateChanged(PeerTransport peer, PeerTransportState state)
    {
    }
}
