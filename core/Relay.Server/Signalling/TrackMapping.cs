using System.Security.Cryptography;
using Relay.Control.Negotiation;
using Relay.Media.Streams;

namespace Relay.Server.Signalling;

/// <summary>
/// From negotiation parameters (Control) to the fan-out's plain track types (Media), which know
/// nothing of SDP.
/// </summary>
internal static class TrackMapping
{
    /// <summary>What a WHIP publisher will send on one accepted section.</summary>
    public static PublishedTrack ToPublished(NegotiatedMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return new PublishedTrack(
            ToKind(media.Kind),
            ToCodec(media.Codec),
            media.Codec.ClockRate,
            media.PayloadType,
            media.RtxPayloadType,
            media.RemoteSsrc,
            media.RemoteRtxSsrc,
            media.Mid,
            media.HeaderExtensions.Mid == 0 ? null : media.HeaderExtensions.Mid,
            (media.Feedback & RtcpFeedbackTypes.Nack) != 0,
            media.Codec.Channels ?? 0,
            media.Codec.FormatParameters);
    }

    /// <summary>What a WHEP viewer will receive on one accepted section: the relay's SSRCs, the viewer's payload types and feedback.</summary>
    public static SubscribedTrack ToSubscribed(NegotiatedMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        uint ssrc = media.LocalSsrc ?? throw new ArgumentException("A WHEP section carries the relay's SSRC.", nameof(media));
        return new SubscribedTrack(
            ToKind(media.Kind),
            media.PayloadType,
            media.RtxPayloadType,
            ssrc,
            media.RtxPayloadType is null ? null : media.LocalRtxSsrc,
            (media.Feedback & RtcpFeedbackTypes.Nack) != 0,
            (media.Feedback & RtcpFeedbackTypes.Pli) != 0,
            (media.Feedback & RtcpFeedbackTypes.Fir) != 0);
    }

    /// <summary>
    /// The stream as a new viewer's offer is negotiated against: the publisher's codecs, under fresh
    /// SSRCs of the relay's for this viewer (an RTX SSRC too for video).
    /// </summary>
    public static OutgoingMedia ToOutgoing(string streamId, IReadOnlyList<NegotiatedMedia> published)
    {
        ArgumentNullException.ThrowIfNull(published);
        var tracks = new List<OutgoingTrack>(published.Count);
        var used = new HashSet<uint>();
        foreach (NegotiatedMedia media in published)
        {
            bool video = media.Kind == MediaKind.Video;
            tracks.Add(new OutgoingTrack(
                media.Kind,
                media.Codec,
                NewSsrc(used),
                video ? NewSsrc(used) : null,
                video ? "video" : "audio"));
        }

        return new OutgoingMedia(streamId, "relay-" + streamId, tracks);
    }

    public static MediaTrackKind ToKind(MediaKind kind) => kind == MediaKind.Video ? MediaTrackKind.Video : MediaTrackKind.Audio;

    public static MediaCodec ToCodec(RtpCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return codec.IsNamed(RtpCodec.Vp8Name) ? MediaCodec.Vp8
            : codec.IsNamed(RtpCodec.H264Name) ? MediaCodec.H264
            : codec.IsNamed(RtpCodec.OpusName) ? MediaCodec.Opus
            : throw new ArgumentException($"The relay does not carry {codec.Name}.", nameof(codec));
    }

    private static uint NewSsrc(HashSet<uint> used)
    {
        while (true)
        {
            uint ssrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
            if (used.Add(ssrc))
            {
                return ssrc;
            }
        }
    }
}
