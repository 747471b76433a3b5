using Relay.Protocols.Buffers;
using Relay.Transport.Peers;

namespace Relay.Media.Streams;

/// <summary>
/// The handler for the publisher's <see cref="PeerTransport"/>: create the transport with
/// <c>PeerTransport.CreateServer(ice, dtls, publisher)</c>, then call <see cref="Bind"/>. Its RTP goes
/// to every viewer of the stream; on its final state (Failed or Closed) the stream moves to
/// <see cref="MediaStreamState.PublisherGone"/> and waits for a reconnect.
/// </summary>
public sealed class MediaPublisher : IPeerMediaHandler
{
    private readonly MediaStream _stream;
    private PeerTransport? _transport;

    internal MediaPublisher(MediaStream stream, IReadOnlyList<PublishedTrack> tracks)
    {
        _stream = stream;
        Tracks = tracks;
    }

    /// <summary>What this publisher sends.</summary>
    public IReadOnlyList<PublishedTrack> Tracks { get; }

    /// <summary>The bound transport; null before <see cref="Bind"/>.</summary>
    public PeerTransport? Transport => Volatile.Read(ref _transport);

    /// <summary>Whether the stream has replaced or ended this publisher; its packets are then dropped.</summary>
    internal bool IsDetached { get; set; }

    /// <summary>Attaches the transport this handler was given to. Call once, before the peer connects.</summary>
    public void Bind(PeerTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (Interlocked.CompareExchange(ref _transport, transport, null) is not null)
        {
            ThrowHelper.ThrowInvalidOperation("The publisher is already bound to a transport.");
        }

        _stream.OnPublisherBound(this, transport);
    }

    void IPeerMediaHandler.OnRtp(PeerTransport peer, PacketLease packet) => _stream.OnPublisherRtp(this, packet);

    void IPeerMediaHandler.OnRtcp(PeerTransport peer, PacketLease packet) => _stream.OnPublisherRtcp(this, packet);

    void IPeerMediaHandler.OnStateChanged(PeerTransport peer, PeerTransportState state) => _stream.OnPublisherStateChanged(this, state);
}
