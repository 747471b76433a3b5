using Relay.Protocols.Rtp;

namespace Relay.Media;

/// <summary>
/// Codec-aware questions about one RTP payload that the fan-out asks per packet: does it begin a
/// keyframe, does it begin a frame. Bounds-checked: malformed payloads answer "no", never throw.
/// </summary>
public static class VideoPayload
{
    /// <summary>Whether <paramref name="payload"/> (an RTP payload) begins a keyframe of <paramref name="codec"/>.</summary>
    public static KeyframeStatus GetKeyframeStatus(VideoCodec codec, ReadOnlySpan<byte> payload) => codec switch
    {
        VideoCodec.Vp8 => Vp8PayloadDescriptor.IsKeyframeStart(payload) ? KeyframeStatus.KeyframeStart : KeyframeStatus.NotKeyframeStart,
        VideoCodec.H264 => H264PayloadInfo.TryRead(payload, out H264PayloadInfo info) && info.IsKeyframeStart
            ? KeyframeStatus.KeyframeStart
            : KeyframeStatus.NotKeyframeStart,
        _ => KeyframeStatus.Unknown,
    };

    /// <summary>Whether a whole RTP packet begins a keyframe; <see cref="KeyframeStatus.NotKeyframeStart"/> if it is not RTP.</summary>
    public static KeyframeStatus GetKeyframeStatus(VideoCodec codec, in RtpPacketReader packet) =>
        GetKeyframeStatus(codec, packet.Payload);

    /// <summary>
    /// Whether <paramref name="payload"/> can be the first packet of a frame, from the payload alone:
    /// for VP8, S = 1 and PID = 0; for H.264, the packet starts a NAL unit (a frame may have several
    /// slices, so combine with <see cref="StartsNewFrame"/> for certainty). False for other codecs;
    /// use <see cref="StartsNewFrame"/> for those.
    /// </summary>
    public static bool IsFrameStart(VideoCodec codec, ReadOnlySpan<byte> payload) => codec switch
    {
        VideoCodec.Vp8 => Vp8PayloadDescriptor.TryRead(payload, out Vp8PayloadDescriptor descriptor) && descriptor.IsFrameStart,
        VideoCodec.H264 => H264PayloadInfo.TryRead(payload, out H264PayloadInfo info) && info.StartsNalUnit,
        _ => false,
    };

    /// <summary>
    /// Whether a packet begins a new frame given the packet before it in sequence: the previous packet
    /// carried the marker bit (the last packet of its frame, RFC 3550 section 5.1 for video) or the
    /// timestamp moved on. Valid only when the two packets are consecutive in sequence number.
    /// </summary>
    public static bool StartsNewFrame(uint previousTimestamp, bool previousMarker, uint timestamp) =>
        previousMarker || timestamp != previousTimestamp;
}
