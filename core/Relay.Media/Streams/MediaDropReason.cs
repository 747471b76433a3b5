namespace Relay.Media.Streams;

/// <summary>Why a <see cref="MediaStream"/> dropped a packet (<see cref="MediaStreamCounters.GetDrops"/>).</summary>
public enum MediaDropReason
{
    /// <summary>From the publisher: not a readable RTP packet.</summary>
    NotRtp = 0,

    /// <summary>From the publisher: a payload type no published track carries.</summary>
    UnknownTrack,

    /// <summary>From a publisher that is no longer the stream's (replaced, or the stream ended).</summary>
    NotCurrentPublisher,

    /// <summary>From the publisher: an RTX packet without an original sequence number (padding).</summary>
    EmptyRetransmission,

    /// <summary>To a viewer: its transport is not connected yet.</summary>
    ViewerNotConnected,

    /// <summary>To a viewer: video held back until a keyframe.</summary>
    WaitingForKeyframe,

    /// <summary>To a viewer: refused by its sequencer (older than its stream's start, or of a previous source).</summary>
    SequencerRefused,

    /// <summary>To a viewer: dropped by <see cref="MediaStreamOptions.ViewerPacketLossForTesting"/>.</summary>
    InjectedLoss,

    /// <summary>To a viewer or the publisher: SRTP refused to protect the packet.</summary>
    ProtectFailed,

    /// <summary>RTCP that does not parse as a compound packet, or a feedback message that does not parse.</summary>
    MalformedRtcp,

    /// <summary>RTCP feedback from a viewer naming an SSRC the relay does not send it.</summary>
    UnknownSsrc,

    /// <summary>A NACKed packet not retransmitted: sent again within the request window already.</summary>
    RetransmissionSuppressed,

    /// <summary>A NACKed packet not retransmitted: never sent to this viewer, or no longer cached.</summary>
    RetransmissionUnavailable,

    /// <summary>A NACKed packet not retransmitted: the viewer has used its retransmission budget (<see cref="MediaStreamOptions.MaxRetransmissionBytesPerSecond"/>).</summary>
    RetransmissionRateLimited,
}
