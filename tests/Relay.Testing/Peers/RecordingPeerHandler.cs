using System.Collections.Concurrent;
using Relay.Protocols.Buffers;
using Relay.Transport.Peers;

namespace Relay.Testing.Peers;

/// <summary>Keeps copies of the plaintext a peer delivers (or, with <see cref="Copy"/> off, only counts it) and the states it reports.</summary>
public sealed class RecordingPeerHandler : IPeerMediaHandler
{
    private long _rtpCount;
    private long _rtcpCount;

    public ConcurrentQueue<byte[]> Rtp { get; } = new();

    public ConcurrentQueue<byte[]> Rtcp { get; } = new();

    public ConcurrentQueue<PeerTransportState> States { get; } = new();

    /// <summary>Off for allocation tests: then packets are only counted and released.</summary>
    public bool Copy { get; set; } = true;

    public long RtpCount => Volatile.Read(ref _rtpCount);

    public long RtcpCount => Volatile.Read(ref _rtcpCount);

    public void OnRtp(PeerTransport peer, PacketLease packet)
    {
        if (Copy)
        {
            Rtp.Enqueue(packet.Span.ToArray());
        }

        Interlocked.Increment(ref _rtpCount);
        packet.Release();
    }

    public void OnRtcp(PeerTransport peer, PacketLease packet)
    {
        if (Copy)
        {
            Rtcp.Enqueue(packet.Span.ToArray());
        }

        Interlocked.Increment(ref _rtcpCount);
        packet.Release();
    }

    public void OnStateChanged(PeerTransport peer, PeerTransportState state) => States.Enqueue(state);
}
