using Relay.Control.Negotiation;
using Relay.Control.Tests.Sdp;

namespace Relay.Control.Tests.Negotiation;

public class OfferRejectionTests
{
    private static string ChromeWhip => SdpFixtures.Read(SdpFixtures.ChromeWhip);

    private static string ChromeWhep => SdpFixtures.Read(SdpFixtures.ChromeWhep);

    private static string GStreamer => SdpFixtures.Read(SdpFixtures.GStreamerWhip);

    /// <summary>Case name, WHIP or WHEP, the offer, the expected kind, and text the reason must contain.</summary>
    public static TheoryData<string, NegotiationKind, string, OfferRejectionKind, string> Cases()
    {
        var sha1 = "a=fingerprint:sha-1 " + string.Join(':', Enumerable.Repeat("0F", 20));
        string twoVideo = OfferText.AppendMedia(
            ChromeWhip.Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2", StringComparison.Ordinal),
            OfferText.Lines(OfferText.KeepMedia(GStreamer, "video")).SkipWhile(l => !l.StartsWith("m=", StringComparison.Ordinal))
                .Select(l => l == "a=mid:video0" ? "a=mid:2" : l).ToArray());
        string dataChannelOnly = OfferText.Join(
        [
            "v=0", "o=- 6333536870545914506 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0", "a=extmap-allow-mixed", "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:unRY", "a=ice-pwd:BdME84AD362nOvQBMfKz805D",
            "a=ice-options:trickle", "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("8D", 32)), "a=setup:actpass", "a=mid:0",
            "a=sctp-port:5000", "a=max-message-size:262144",
        ]);
        string pcmuOnly = OfferText.EditMedia(OfferText.KeepMedia(ChromeWhip, "audio"), "audio", lines =>
            lines.Where(l => !l.StartsWith("a=rtpmap:", StringComparison.Ordinal) && !l.StartsWith("a=fmtp:", StringComparison.Ordinal) && !l.StartsWith("a=rtcp-fb:", StringComparison.Ordinal))
                .Select(l => l.StartsWith("m=audio", StringComparison.Ordinal) ? "m=audio 9 UDP/TLS/RTP/SAVPF 0 8" : l)
                .Append("a=rtpmap:0 PCMU/8000").Append("a=rtpmap:8 PCMA/8000").ToList());

        return new()
        {
            { "not SDP", NegotiationKind.Whip, "this is not SDP", OfferRejectionKind.MalformedSdp, "The offer is not valid SDP. SDP line 1" },
            { "no media sections", NegotiationKind.Whip, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", OfferRejectionKind.NoMedia, "no media sections" },
            { "every section disabled", NegotiationKind.Whip, ChromeWhip.Replace(" 9 UDP/TLS", " 0 UDP/TLS", StringComparison.Ordinal), OfferRejectionKind.NoMedia, "no enabled audio or video" },
            { "every section inactive", NegotiationKind.Whip, OfferText.ReplaceLines(ChromeWhip, "a=sendonly", "a=inactive"), OfferRejectionKind.NoMedia, "inactive" },
            { "data channel only", NegotiationKind.Whip, dataChannelOnly, OfferRejectionKind.DataChannelOnly, "only a data channel" },
            { "two video sections", NegotiationKind.Whip, twoVideo, OfferRejectionKind.TooManyTracks, "2 video sections; the relay takes at most one video and one audio track" },
            { "plain RTP", NegotiationKind.Whip, ChromeWhip.Replace("m=video 9 UDP/TLS/RTP/SAVPF", "m=video 9 RTP/AVP", StringComparison.Ordinal), OfferRejectionKind.UnsupportedProtocol, "video section (mid 1) uses RTP/AVP" },
            { "WHIP offer that only receives", NegotiationKind.Whip, ChromeWhep, OfferRejectionKind.UnsupportedDirection, "video section (mid 0) is recvonly; a WHIP publisher must send" },
            { "WHEP offer that only sends", NegotiationKind.Whep, ChromeWhip, OfferRejectionKind.UnsupportedDirection, "audio section (mid 0) is sendonly; a WHEP viewer must receive" },
            { "missing mid", NegotiationKind.Whip, OfferText.EditMedia(ChromeWhip, "video", l => l.Where(x => x != "a=mid:1").ToList()), OfferRejectionKind.InvalidMid, "video section has no a=mid" },
            { "duplicate mid", NegotiationKind.Whip, ChromeWhip.Replace("a=mid:1", "a=mid:0", StringComparison.Ordinal), OfferRejectionKind.InvalidMid, "a=mid:0 for more than one section" },
            { "no rtcp-mux", NegotiationKind.Whip, OfferText.RemoveLines(ChromeWhip, "a=rtcp-mux"), OfferRejectionKind.MissingRtcpMux, "does not use rtcp-mux" },
            { "no supported video codec", NegotiationKind.Whip, OfferText.MinimalVideoOffer("a=rtpmap:98 VP9/90000\na=rtpmap:104 H264/90000\na=fmtp:104 packetization-mode=0;profile-level-id=42e01f\na=rtpmap:45 AV1/90000", "98 104 45"), OfferRejectionKind.NoSupportedVideoCodec, "The offer's video section has no codec the relay supports (VP8, or H.264 with packetization-mode=1); it offers VP9, H264 (packetization-mode=0, profile-level-id=42e01f), AV1." },
            { "unsupported H.264 profile", NegotiationKind.Whip, OfferText.MinimalVideoOffer("a=rtpmap:104 H264/90000\na=fmtp:104 packetization-mode=1;profile-level-id=f4001f", "104"), OfferRejectionKind.NoSupportedVideoCodec, "profile-level-id=f4001f" },
            { "no supported audio codec", NegotiationKind.Whip, pcmuOnly, OfferRejectionKind.NoSupportedAudioCodec, "no codec the relay supports (Opus 48000/2); it offers PCMU, PCMA." },
            { "no BUNDLE group", NegotiationKind.Whip, OfferText.RemoveLines(ChromeWhip, "a=group:"), OfferRejectionKind.MissingBundle, "(mids 0, 1) are not in one a=group:BUNDLE" },
            { "sections in different BUNDLE groups", NegotiationKind.Whip, OfferText.ReplaceLines(ChromeWhip, "a=group:", "a=group:BUNDLE 0"), OfferRejectionKind.MissingBundle, "not in one a=group:BUNDLE" },
            { "no ICE credentials", NegotiationKind.Whip, OfferText.RemoveLines(ChromeWhip, "a=ice-ufrag:"), OfferRejectionKind.MissingIceCredentials, "no a=ice-ufrag and a=ice-pwd" },
            { "short ICE password", NegotiationKind.Whip, OfferText.ReplaceLines(ChromeWhip, "a=ice-pwd:", "a=ice-pwd:tooshort"), OfferRejectionKind.MissingIceCredentials, "not valid" },
            { "ICE-lite offerer", NegotiationKind.Whip, OfferText.AddSessionLine(ChromeWhip, "a=ice-lite"), OfferRejectionKind.RemoteIceLite, "ICE-lite too" },
            { "no fingerprint", NegotiationKind.Whip, OfferText.RemoveLines(GStreamer, "a=fingerprint:"), OfferRejectionKind.MissingFingerprint, "no a=fingerprint" },
            { "sha-1 fingerprint only", NegotiationKind.Whip, OfferText.ReplaceLines(GStreamer, "a=fingerprint:", sha1), OfferRejectionKind.UnsupportedFingerprint, "(it has sha-1)" },
            { "malformed sha-256 fingerprint", NegotiationKind.Whip, OfferText.ReplaceLines(GStreamer, "a=fingerprint:", "a=fingerprint:sha-256 AB:CD"), OfferRejectionKind.UnsupportedFingerprint, "a malformed one" },
            { "setup passive", NegotiationKind.Whip, OfferText.ReplaceLines(ChromeWhip, "a=setup:", "a=setup:passive"), OfferRejectionKind.UnsupportedDtlsSetup, "a=setup:passive would make the relay the DTLS client" },
            { "setup holdconn", NegotiationKind.Whip, OfferText.ReplaceLines(ChromeWhip, "a=setup:", "a=setup:holdconn"), OfferRejectionKind.UnsupportedDtlsSetup, "a=setup:holdconn" },
            { "setup unknown", NegotiationKind.Whip, OfferText.ReplaceLines(ChromeWhip, "a=setup:", "a=setup:sideways"), OfferRejectionKind.UnsupportedDtlsSetup, "not one of actpass, active or passive" },
            { "published codec not offered", NegotiationKind.Whep, ChromeWhep, OfferRejectionKind.PublishedCodecNotOffered, "The stream's video is H.264 constrained high (packetization-mode=1) and the offer's video section (mid 0) does not accept it" },
            { "no track the stream has", NegotiationKind.Whep, OfferText.KeepMedia(ChromeWhep, "audio"), OfferRejectionKind.NoMatchingTrack, "The stream has video only and the offer asks for none of it" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryNegotiate_RefusesWithASpecificKindAndReason(string name, NegotiationKind kind, string offer, OfferRejectionKind expected, string reason)
    {
        OutgoingMedia stream = name == "WHEP offer that only sends"
            ? TestStreams.H264AndOpus()
            : TestStreams.VideoOnly(RtpCodec.H264("640c1f"));
        bool accepted = kind == NegotiationKind.Whip
            ? WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection)
            : WhepNegotiator.TryNegotiate(offer, stream, out session, out rejection);

        Assert.False(accepted, name);
        Assert.Null(session);
        Assert.Equal(expected, rejection!.Kind);
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRejectionKind_HasACase()
    {
        HashSet<OfferRejectionKind> covered = Cases().Select(row => (OfferRejectionKind)row[3]).ToHashSet();

        Assert.Equal(Enum.GetValues<OfferRejectionKind>().ToHashSet(), covered);
    }

    [Fact]
    public void NoSupportedVideoCodec_ReasonStartsAsTheHttpLayerExpects()
    {
        string offer = OfferText.MinimalVideoOffer("a=rtpmap:98 VP9/90000", "98");

        Assert.False(WhipNegotiator.TryNegotiate(offer, out _, out OfferRejection? rejection));
        Assert.StartsWith("The offer's video section has no codec the relay supports (VP8, or H.264 with packetization-mode=1)", rejection.Reason, StringComparison.Ordinal);
    }
}
