using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Relay.Control.Sdp;

namespace Relay.Control.Negotiation;

/// <summary>
/// Builds the answer for a negotiated session (JSEP, RFC 8829 section 5.3) as the relay's ICE-lite,
/// DTLS-passive, BUNDLE endpoint:
/// <code>
/// v=0
/// o=- &lt;sess-id&gt; 1 IN IP4 0.0.0.0
/// s=-
/// t=0 0
/// a=group:BUNDLE &lt;accepted mids&gt;
/// a=ice-lite
/// m=video &lt;port&gt; UDP/TLS/RTP/SAVPF &lt;pt&gt; [&lt;rtx pt&gt;]     accepted: the first candidate's port
/// c=IN IP4 &lt;address&gt;
/// a=mid, ice-ufrag, ice-pwd, fingerprint, setup:passive
/// a=extmap..., recvonly (WHIP) | sendonly + msid + ssrc (WHEP), rtcp-mux
/// a=rtpmap, rtcp-fb, fmtp (and rtx/apt)
/// a=candidate:&lt;n&gt; 1 udp &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ host ... a=end-of-candidates
/// m=application 0 UDP/DTLS/SCTP webrtc-datachannel              refused: port 0 and the mid
/// </code>
/// Every accepted section repeats the transport attributes, as Chrome and Pion write answers, so
/// peers that read them per section (GStreamer) find them where they look.
/// </summary>
internal static class AnswerBuilder
{
    private const string Udp = "udp";

    public static SessionDescription Build(NegotiatedSession session, LocalTransportParameters local, ulong sessionId)
    {
        var attributes = new List<SdpAttributeLine>();
        if (session.BundleMids is { Count: > 0 } mids)
        {
            attributes.Add(new SdpAttributeLine(SdpAttributeNames.Group, new SdpGroup(SdpGroup.Bundle, mids).ToString()));
        }

        attributes.Add(new SdpAttributeLine(SdpAttributeNames.IceLite));

        var candidates = new List<SdpAttributeLine>(local.Candidates.Count);
        for (int i = 0; i < local.Candidates.Count; i++)
        {
            IPEndPoint endpoint = local.Candidates[i];
            var candidate = new SdpCandidate(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                1,
                Udp,
                HostPriority(i),
                endpoint.Address.ToString(),
                endpoint.Port,
                SdpCandidate.HostType);
            candidates.Add(new SdpAttributeLine(SdpAttributeNames.Candidate, candidate.ToString()));
        }

        var media = new List<MediaDescription>(session.Sections.Count);
        foreach (AnswerSection section in session.Sections)
        {
            media.Add(section.Accepted is null
                ? Rejected(section.Offered)
                : Accepted(session, section, local, candidates));
        }

        return new SessionDescription
        {
            Origin = new SdpOrigin("-", sessionId.ToString(CultureInfo.InvariantCulture), "1", "IN", "IP4", "0.0.0.0"),
            SessionName = "-",
            Timings = [SdpTiming.Unbounded],
            Attributes = attributes,
            MediaDescriptions = media,
        };
    }

    /// <summary>
    /// Host candidate priority (RFC 8445 section 5.1.2.1): type preference 126 for host, local
    /// preference falling by one per address so the first is preferred, component 1.
    /// </summary>
    internal static uint HostPriority(int index) => (126u << 24) | ((uint)(65535 - index) << 8) | (256u - 1);

    /// <summary>A refused section: port 0, the offered protocol and formats, and the mid (RFC 8829 section 5.3.1).</summary>
    private static MediaDescription Rejected(MediaDescription offered)
    {
        var attributes = new List<SdpAttributeLine>(1);
        if (offered.FindAttribute(SdpAttributeNames.Mid) is { Value: not null } mid)
        {
            attributes.Add(mid);
        }

        return new MediaDescription
        {
            MediaType = offered.MediaType,
            Port = 0,
            Protocol = offered.Protocol,
            Formats = offered.Formats,
            Connections = [new SdpConnection("IN", "IP4", "0.0.0.0")],
            Attributes = attributes,
        };
    }

    private static MediaDescription Accepted(
        NegotiatedSession session,
        AnswerSection section,
        LocalTransportParameters local,
        List<SdpAttributeLine> candidates)
    {
        NegotiatedMedia accepted = section.Accepted!;
        IPEndPoint primary = local.Candidates[0];
        string addressType = primary.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        string pt = accepted.PayloadType.ToString(CultureInfo.InvariantCulture);
        var formats = new List<string>(2) { pt };
        if (accepted.RtxPayloadType is byte rtxPt)
        {
            formats.Add(rtxPt.ToString(CultureInfo.InvariantCulture));
        }

        var attributes = new List<SdpAttributeLine>(32)
        {
            new(SdpAttributeNames.Mid, accepted.Mid),
            new(SdpAttributeNames.IceUfrag, local.IceUsernameFragment),
            new(SdpAttributeNames.IcePwd, local.IcePassword),
            new(SdpAttributeNames.Fingerprint, local.Fingerprint.ToString()),
            new(SdpAttributeNames.Setup, "passive"),
        };
        AddExtension(attributes, accepted.HeaderExtensions.Mid, RtpHeaderExtensionUris.Mid);
        AddExtension(attributes, accepted.HeaderExtensions.AbsSendTime, RtpHeaderExtensionUris.AbsSendTime);
        AddExtension(attributes, accepted.HeaderExtensions.TransportWideCc, RtpHeaderExtensionUris.TransportWideCc);
        AddExtension(attributes, accepted.HeaderExtensions.AudioLevel, RtpHeaderExtensionUris.AudioLevel);

        OutgoingMedia? stream = session.Stream;
        OutgoingTrack? track = section.Track;
        if (session.Kind == NegotiationKind.Whip)
        {
            attributes.Add(new(SdpAttributeNames.RecvOnly));
        }
        else
        {
            attributes.Add(new(SdpAttributeNames.SendOnly));
            attributes.Add(new(SdpAttributeNames.Msid, new SdpMsid(stream!.StreamId, track!.TrackId).ToString()));
        }

        attributes.Add(new(SdpAttributeNames.RtcpMux));
        RtpCodec codec = accepted.Codec;
        attributes.Add(new(SdpAttributeNames.RtpMap, new SdpRtpMap(accepted.PayloadType, codec.Name, codec.ClockRate, codec.Channels).ToString()));
        AddFeedback(attributes, accepted.PayloadType, accepted.Feedback);
        if (codec.FormatParameters is not null)
        {
            attributes.Add(new(SdpAttributeNames.Fmtp, new SdpFormatParameters(accepted.PayloadType, codec.FormatParameters).ToString()));
        }

        if (accepted.RtxPayloadType is byte rtx)
        {
            attributes.Add(new(SdpAttributeNames.RtpMap, new SdpRtpMap(rtx, "rtx", codec.ClockRate).ToString()));
            attributes.Add(new(SdpAttributeNames.Fmtp, new SdpFormatParameters(rtx, "apt=" + pt).ToString()));
        }

        if (session.Kind == NegotiationKind.Whep)
        {
            AddSources(attributes, accepted, stream!, track!);
        }

        attributes.AddRange(candidates);
        attributes.Add(new(SdpAttributeNames.EndOfCandidates));
        return new MediaDescription
        {
            MediaType = section.Offered.MediaType,
            Port = primary.Port,
            Protocol = section.Offered.Protocol,
            Formats = formats,
            Connections = [new SdpConnection("IN", addressType, primary.Address.ToString())],
            Attributes = attributes,
        };
    }

    private static void AddExtension(List<SdpAttributeLine> attributes, byte id, string uri)
    {
        if (id != 0)
        {
            attributes.Add(new(SdpAttributeNames.ExtensionMap, new SdpExtensionMap(id, uri).ToString()));
        }
    }

    private static void AddFeedback(List<SdpAttributeLine> attributes, int pt, RtcpFeedbackTypes feedback)
    {
        (RtcpFeedbackTypes Flag, string Type, string? Parameter)[] all =
        [
            (RtcpFeedbackTypes.Remb, "goog-remb", null),
            (RtcpFeedbackTypes.TransportCc, "transport-cc", null),
            (RtcpFeedbackTypes.Fir, "ccm", "fir"),
            (RtcpFeedbackTypes.Nack, "nack", null),
            (RtcpFeedbackTypes.Pli, "nack", "pli"),
        ];
        foreach ((RtcpFeedbackTypes flag, string type, string? parameter) in all)
        {
            if ((feedback & flag) != 0)
            {
                attributes.Add(new(SdpAttributeNames.RtcpFeedback, new SdpRtcpFeedback(pt, type, parameter).ToString()));
            }
        }
    }

    /// <summary>What the relay sends, so the viewer can bind SSRCs to the track before the first packet (RFC 5576).</summary>
    private static void AddSources(List<SdpAttributeLine> attributes, NegotiatedMedia accepted, OutgoingMedia stream, OutgoingTrack track)
    {
        var msid = new SdpMsid(stream.StreamId, track.TrackId).ToString();
        if (accepted.LocalRtxSsrc is uint rtxSsrc)
        {
            attributes.Add(new(SdpAttributeNames.SsrcGroup, new SdpSsrcGroup(SdpSsrcGroup.FlowIdentification, [track.Ssrc, rtxSsrc]).ToString()));
        }

        attributes.Add(new(SdpAttributeNames.Ssrc, new SdpSsrc(track.Ssrc, "cname", stream.Cname).ToString()));
        attributes.Add(new(SdpAttributeNames.Ssrc, new SdpSsrc(track.Ssrc, SdpAttributeNames.Msid, msid).ToString()));
        if (accepted.LocalRtxSsrc is uint rtx)
        {
            attributes.Add(new(SdpAttributeNames.Ssrc, new SdpSsrc(rtx, "cname", stream.Cname).ToString()));
            attributes.Add(new(SdpAttributeNames.Ssrc, new SdpSsrc(rtx, SdpAttributeNames.Msid, msid).ToString()));
        }
    }
}
