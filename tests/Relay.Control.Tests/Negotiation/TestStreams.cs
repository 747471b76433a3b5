using Relay.Control.Negotiation;

namespace Relay.Control.Tests.Negotiation;

/// <summary>Published streams as the relay would describe them to a WHEP viewer.</summary>
internal static class TestStreams
{
    public const uint VideoSsrc = 0x11112222;
    public const uint VideoRtxSsrc = 0x33334444;
    public const uint AudioSsrc = 0x55556666;

    /// <summary>What a Safari or Android Chrome caller publishes: H.264 constrained baseline and Opus.</summary>
    public static OutgoingMedia H264AndOpus(bool rtx = true) => new(
        "relay-stream",
        "relay-cname",
        [
            new OutgoingTrack(MediaKind.Video, RtpCodec.H264("42e01f"), VideoSsrc, rtx ? VideoRtxSsrc : null, "relay-video"),
            new OutgoingTrack(MediaKind.Audio, RtpCodec.Opus, AudioSsrc, null, "relay-audio"),
        ]);

    public static OutgoingMedia Vp8AndOpus() => new(
        "relay-stream",
        "relay-cname",
        [
            new OutgoingTrack(MediaKind.Video, RtpCodec.Vp8, VideoSsrc, VideoRtxSsrc, "relay-video"),
            new OutgoingTrack(MediaKind.Audio, RtpCodec.Opus, AudioSsrc, null, "relay-audio"),
        ]);

    public static OutgoingMedia VideoOnly(RtpCodec codec) => new(
        "relay-stream",
        "relay-cname",
        [new OutgoingTrack(MediaKind.Video, codec, VideoSsrc, VideoRtxSsrc, "relay-video")]);
}
