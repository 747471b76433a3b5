using Relay.Protocols.Buffers;
using Relay.Transport.Peers;

namespace Relay.Media.Streams;

/// <summary>
/// The handler for one viewer's <see cref="PeerTransport"/>, bound as <see cref="MediaPublisher"/> is.
/// <see cref="Dispose"/> removes it from the stream and disposes its transport; a viewer whose
/// transport fails or closes is removed by itself.
/// </summary>
/// <remarks>
/// Every send to the viewer happens under the stream's lock, and <see cref="Dispose"/> takes the viewer
/// out of the stream under that lock before disposing the transport, so a dispose never runs while the
/// receive worker or the timer is protecting a packet with the viewer's SRTP session.
/// </remarks>
public sealed class MediaSubscriber : IPeerMediaHandler, IDisposable
{
    private readonly MediaStream _stream;
    private PeerTransport? _transport;

    internal MediaSubscriber(MediaStream stream, IReadOnlyList<SubscribedTrack> tracks, SubscriberTrackState? audio, SubscriberTrackState? video)
    {
        _stream = stream;
        Tracks = tracks;
        Audio = audio;
        Video = video;
    }

    /// <summary>What this viewer receives.</summary>
    public IReadOnlyList<SubscribedTrack> Tracks { get; }

    /// <summary>The bound transport; null before <see cref="Bind"/>.</summary>
    public PeerTransport? Transport => Volatile.Read(ref _transport);

    internal SubscriberTrackState? Audio { get; }

    internal SubscriberTrackState? Video { get; }

    /// <summary>Set under the stream's lock when the viewer leaves the stream; nothing is sent after.</summary>
    internal bool IsRemoved { get; set; }

    /// <summary>What this viewer may still have resent (a field: the stream updates it in place, under its lock).</summary>
    internal RetransmissionBudget RetransmissionBudget;

    /// <summary>Attaches the transport this handler was given to. Call once, before the peer connects.</summary>
    public void Bind(PeerTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (Interlocked.CompareExchange(ref _transport, transport, null) is not null)
        {
            ThrowHelper.ThrowInvalidOperation("The subscriber is already bound to a transport.");
        }

        if (!_stream.IsSubscribed(this))
        {
            // Disposed (or the stream ended) before the transport arrived: it is ours to close.
            transport.Dispose();
        }
    }

    /// <summary>Removes the viewer from the stream and disposes its transport.</summary>
    public void Dispose() => _stream.RemoveSubscriber(this);

    internal SubscriberTrackState? GetTrack(MediaTrackKind kind) => kind == MediaTrackKind.Video ? Video : Audio;

    void IPeerMediaHandler.OnRtp(PeerTransport peer, PacketLease packet)
    {
        // Viewers send no media the relay uses.
        packet.Release();
    }

    void IPeerMediaHandler.OnRtcp(PeerTransport peer, PacketLease packet) => _stream.OnSubscriberRtcp(this, packet);

    void IPeerMediaHandler.OnStateChanged(PeerTransport peer, PeerTransportState state) => _stream.OnSubscriberStateChanged(this, state);
}
