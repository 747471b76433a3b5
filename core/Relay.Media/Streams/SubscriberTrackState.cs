namespace Relay.Media.Streams;

/// <summary>
/// The send side of one viewer's track: its sequencer (SSRC, payload type, continuity), its keyframe
/// gate, its retransmission limiter and RTX numbering, and what its sender reports count. Touched
/// only under the stream's lock.
/// </summary>
internal sealed class SubscriberTrackState
{
    private readonly TimeProvider _time;

    public SubscriberTrackState(SubscribedTrack track, TimeProvider time, TimeSpan keyframeRequestInterval, Random random)
    {
        _time = time;
        Track = track;
        Ssrc = track.Ssrc;
        if (track.Kind == MediaTrackKind.Video)
        {
            Gate = new KeyframeGate(time, keyframeRequestInterval);
        }

        Limiter = new RetransmissionLimiter(time);
        if (track.RtxPayloadType is byte rtxPayloadType && track.RtxSsrc is uint rtxSsrc)
        {
            HasRtx = true;
            RtxPayloadType = rtxPayloadType;
            RtxSsrc = rtxSsrc;
            NextRtxSequenceNumber = (ushort)random.Next(0x8000);
        }
    }

    public SubscribedTrack Track { get; }

    public uint Ssrc { get; }

    /// <summary>Video only: closed until a keyframe.</summary>
    public KeyframeGate? Gate { get; }

    /// <summary>Created with the first packet, once the published clock rate is known.</summary>
    public OutboundSequencer? Sequencer { get; private set; }

    public RetransmissionLimiter Limiter { get; }

    public bool HasRtx { get; }

    public byte RtxPayloadType { get; }

    public uint RtxSsrc { get; }

    public ushort NextRtxSequenceNumber { get; set; }

    /// <summary>RTP packets sent (first transmissions), for sender reports.</summary>
    public uint PacketsSent { get; set; }

    /// <summary>Payload octets sent, for sender reports.</summary>
    public uint OctetsSent { get; set; }

    public OutboundSequencer GetSequencer(int clockRate, Random random) =>
        Sequencer ??= new OutboundSequencer(_time, Track.Ssrc, Track.PayloadType, clockRate, random);

    /// <summary>The publisher's source changed (a reconnect): wait for a keyframe, forget retransmissions.</summary>
    public void OnSourceSwitch()
    {
        Sequencer?.SwitchSource();
        Gate?.Close();
        Limiter.Reset();
    }
}
