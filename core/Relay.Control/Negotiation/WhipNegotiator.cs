using System.Diagnostics.CodeAnalysis;
using Relay.Control.Sdp;

namespace Relay.Control.Negotiation;

/// <summary>
/// WHIP (RFC 9725) offer/answer: a publisher offers sendonly (or sendrecv) audio and video; the
/// relay accepts one video section (VP8, or H.264 with packetization-mode=1) and one audio section
/// (Opus) and answers recvonly. The answer comes from <see cref="NegotiatedSession.CreateAnswer"/>.
/// </summary>
public static class WhipNegotiator
{
    /// <summary>Negotiates a parsed offer; on refusal, <paramref name="rejection"/> says why.</summary>
    public static bool TryNegotiate(
        SessionDescription offer,
        [NotNullWhen(true)] out NegotiatedSession? session,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return OfferNegotiator.TryNegotiate(offer, NegotiationKind.Whip, null, out session, out rejection);
    }

    /// <summary>Parses and negotiates an offer as it arrived in the HTTP body.</summary>
    public static bool TryNegotiate(
        string? offerSdp,
        [NotNullWhen(true)] out NegotiatedSession? session,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        session = null;
        if (!SdpParser.TryParse(offerSdp, out SessionDescription? offer, out string? error))
        {
            rejection = new OfferRejection(OfferRejectionKind.MalformedSdp, "The offer is not valid SDP. " + error);
            return false;
        }

        return OfferNegotiator.TryNegotiate(offer, NegotiationKind.Whip, null, out session, out rejection);
    }
}
