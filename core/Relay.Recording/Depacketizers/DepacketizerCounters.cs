namespace Relay.Recording.Depacketizers;

/// <summary>
/// What a depacketizer took in and what it dropped, by reason. Bad input is counted here, never thrown,
/// so an export can say exactly what of the recording did not make it into the file.
/// </summary>
public sealed class DepacketizerCounters
{
    /// <summary>RTP packets offered.</summary>
    public long Packets { get; internal set; }

    /// <summary>Packets that were not valid RTP (version, lengths, padding) or had an unusable payload.</summary>
    public long MalformedPackets { get; internal set; }

    /// <summary>Packets with another payload type than the track's.</summary>
    public long WrongPayloadType { get; internal set; }

    /// <summary>Packets with no payload (padding-only probes).</summary>
    public long EmptyPackets { get; internal set; }

    /// <summary>Packets seen twice.</summary>
    public long DuplicatePackets { get; internal set; }

    /// <summary>Packets that came after the reorder window had moved past them.</summary>
    public long LatePackets { get; internal set; }

    /// <summary>Packets of a source that never confirmed itself (a stray SSRC or sequence jump, or a packet of an ended source).</summary>
    public long UnconfirmedSourcePackets { get; internal set; }

    /// <summary>Sequence numbers never received (gaps in the sequence).</summary>
    public long LostPackets { get; internal set; }

    /// <summary>RTCP packets offered.</summary>
    public long RtcpPackets { get; internal set; }

    /// <summary>RTCP packets that did not parse.</summary>
    public long MalformedRtcpPackets { get; internal set; }

    /// <summary>Frames written out.</summary>
    public long Frames { get; internal set; }

    /// <summary>Frames dropped because a packet of theirs was missing (a gap or no marker).</summary>
    public long IncompleteFrames { get; internal set; }

    /// <summary>Frames whose packets were whole but whose payloads did not make a valid frame (truncated FU-A, bad STAP-A, ...).</summary>
    public long MalformedFrames { get; internal set; }

    /// <summary>Frames over the size or packet-count limit.</summary>
    public long OversizedFrames { get; internal set; }

    /// <summary>Video frames dropped while waiting for a keyframe after loss or at a timeline's start.</summary>
    public long FramesAwaitingKeyframe { get; internal set; }

    /// <summary>Timelines (publisher connections) seen.</summary>
    public int Timelines { get; internal set; }
}
