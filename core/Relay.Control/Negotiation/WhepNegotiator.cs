using System.Diagnostics.CodeAnalysis;
using Relay.Control.Sdp;

namespace Relay.Control.Negotiation;

/// <summary>
/// WHEP offer/answer: a viewer offers recvonly (or sendrecv) sections; the relay answers sendonly
/// with the published stream's codecs under the viewer's payload types, and its own SSRCs. A
/// section for a kind the stream lacks is answered with port 0; a section that does not accept
/// the published codec refuses the offer.
/// </summary>
public static class WhepNegotiator
{
    /// <summary>Negotiates a parsed offer against the stream to send; on refusal, <paramref name="rejection"/> says why.</summary>
    public static bool TryNegotiate(
        SessionDescription offer,
        OutgoingMedia stream,
        [NotNullWhen(true)] out NegotiatedSession? session,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(offer);
        Validate(stream);
        return OfferNegotiator.TryNegotiate(offer, NegotiationKind.Whep, stream, out session, out rejection);
    }

    /// <summary>Parses and negotiates an offer as it arrived in the HTTP body.</summary>
    public static bool TryNegotiate(
        string? offerSdp,
        OutgoingMedia stream,
        [NotNullWhen(true)] out NegotiatedSession? session,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        Validate(stream);
        session = null;
        if (!SdpParser.TryParse(offerSdp, out SessionDescription? offer, out string? error))
        {
            rejection = new OfferRejection(OfferRejectionKind.MalformedSdp, "The offer is not valid SDP. " + error);
            return false;
        }

        return OfferNegotiator.TryNegotiate(offer, NegotiationKind.Whep, stream, out session, out rejection);
    }

    /// <summary>The stream comes from the relay itself, so a bad one is a programming error and throws.</summary>
    private static void Validate(OutgoingMedia stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(stream.Tracks);
        if (!SdpMsid.IsId(stream.StreamId))
        {
            throw new ArgumentException("The stream id must be 1 to 64 SDP token characters.", nameof(stream));
        }

        if (string.IsNullOrEmpty(stream.Cname) || !SdpSyntax.IsVisibleAscii(stream.Cname) || stream.Cname.Length > 255)
        {
            throw new ArgumentException("The CNAME must be 1 to 255 visible ASCII characters.", nameof(stream));
        }

        bool audio = false;
        bool video = false;
        foreach (OutgoingTrack track in stream.Tracks)
        {
            ArgumentNullException.ThrowIfNull(track, nameof(stream));
            if (track.Codec?.Kind != track.Kind)
            {
                throw new ArgumentException($"Track '{track.TrackId}' is {track.Kind} but its codec is not a {track.Kind} codec the relay supports.", nameof(stream));
            }

            if (track.Codec.IsNamed(RtpCodec.H264Name))
            {
                track.Codec.TryGetParameter("packetization-mode", out string? mode);
                track.Codec.TryGetParameter("profile-level-id", out string? profile);
                if (mode != "1" || !H264Profile.TryParse(profile, out _))
                {
                    throw new ArgumentException($"Track '{track.TrackId}' is H.264 without packetization-mode=1 or with an unsupported profile.", nameof(stream));
                }
            }

            if (!SdpMsid.IsId(track.TrackId))
            {
                throw new ArgumentException("A track id must be 1 to 64 SDP token characters.", nameof(stream));
            }

            if (track.RtxSsrc is uint rtx && (track.Kind != MediaKind.Video || rtx == track.Ssrc))
            {
                throw new ArgumentException($"Track '{track.TrackId}' has an RTX SSRC that is not a distinct video SSRC.", nameof(stream));
            }

            ref bool seen = ref track.Kind == MediaKind.Video ? ref video : ref audio;
            if (seen)
            {
                throw new ArgumentException($"The stream has more than one {track.Kind} track.", nameof(stream));
            }

            seen = true;
        }
    }
}
