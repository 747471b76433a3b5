using Relay.Control.Negotiation;
using Relay.Control.Sdp;
using Relay.Control.Tests.Sdp;
using Relay.Transport.Dtls;

namespace Relay.Control.Tests.Negotiation;

public class WhipNegotiatorTests
{
    private const string Cb = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

    [Fact]
    public void ChromeOffer_NegotiatesH264ConstrainedBaselineWithRtxAndOpus()
    {
        NegotiatedSession session = Negotiate(SdpFixtures.ChromeWhip);

        Assert.Equal(NegotiationKind.Whip, session.Kind);
        Assert.Equal(2, session.Media.Count);
        NegotiatedMedia audio = session.Media[0];
        Assert.Equal(MediaKind.Audio, audio.Kind);
        Assert.Equal("0", audio.Mid);
        Assert.Equal(0, audio.MediaSectionIndex);
        Assert.Equal(111, audio.PayloadType);
        Assert.Equal(RtpCodec.Opus, audio.Codec);
        Assert.Equal(new RtpCodec("opus", 48000, 2, "minptime=10;useinbandfec=1"), audio.Codec);
        Assert.Null(audio.RtxPayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 4, AudioLevel: 1), audio.HeaderExtensions);
        Assert.Equal(RtcpFeedbackTypes.None, audio.Feedback);
        Assert.Equal(1809363945u, audio.RemoteSsrc);
        Assert.Null(audio.RemoteRtxSsrc);
        Assert.Equal("ZT0x6b1v9C+7e/Qm", audio.RemoteCname);
        Assert.Equal("1f3c8e52-7a0d-4b6e-9c21-5d84e0a7f913", audio.RemoteStreamId);
        Assert.Equal("b6e04c7d-2f58-4a13-8e9b-07c1d5f2a364", audio.RemoteTrackId);
        Assert.Null(audio.LocalSsrc);

        NegotiatedMedia video = session.Media[1];
        Assert.Equal(MediaKind.Video, video.Kind);
        Assert.Equal("1", video.Mid);
        Assert.Equal(106, video.PayloadType);
        Assert.Equal(new RtpCodec("H264", 90000, null, Cb), video.Codec);
        Assert.Equal((byte)107, video.RtxPayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 4, AudioLevel: 0), video.HeaderExtensions);
        Assert.Equal(PublisherVideoFeedback, video.Feedback);
        Assert.Equal(2743567901u, video.RemoteSsrc);
        Assert.Equal(3391862337u, video.RemoteRtxSsrc);
        Assert.Equal("9d2a6f10-c34e-4b87-a5d9-e18f3b07c652", video.RemoteTrackId);

        RemoteTransportParameters transport = session.RemoteTransport;
        Assert.Equal("Rq3t", transport.IceUsernameFragment);
        Assert.Equal("oN2xW7fK1e0tYv9Gm5bL3cQz", transport.IcePassword);
        Assert.Equal(DtlsRole.Client, transport.DtlsRole);
        Assert.Equal(DtlsHashAlgorithm.Sha256, transport.Fingerprint.Algorithm);
        Assert.Equal(Convert.FromHexString("5A1FC2930E47B86D219CF43A88D0176EB2450CF97A13E6589D24C17F3BA860DE"), transport.Fingerprint.Value.ToArray());
    }

    [Fact]
    public void SafariOffer_PrefersConstrainedBaselineOverTheConstrainedHighItListsFirst()
    {
        NegotiatedSession session = Negotiate(SdpFixtures.SafariWhip);

        NegotiatedMedia video = session.Media[0];
        Assert.Equal("0", video.Mid);
        Assert.Equal(98, video.PayloadType);
        Assert.Equal(Cb, video.Codec.FormatParameters);
        Assert.Equal((byte)99, video.RtxPayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 9, AudioLevel: 0), video.HeaderExtensions);
        Assert.Equal(1285301417u, video.RemoteSsrc);
        Assert.Equal(3708914562u, video.RemoteRtxSsrc);

        NegotiatedMedia audio = session.Media[1];
        Assert.Equal(111, audio.PayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 9, AudioLevel: 14), audio.HeaderExtensions);
        Assert.Equal(2491076385u, audio.RemoteSsrc);
        Assert.Equal("Hn5q", session.RemoteTransport.IceUsernameFragment);
    }

    [Fact]
    public void FirefoxOffer_TakesTheSessionLevelFingerprintAndSkipsRecvonlyExtensions()
    {
        NegotiatedSession session = Negotiate(SdpFixtures.FirefoxWhip);

        NegotiatedMedia audio = session.Media[0];
        Assert.Equal(109, audio.PayloadType);
        Assert.Equal(RtpCodec.Opus, audio.Codec);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 0, TransportWideCc: 0, Mid: 3, AudioLevel: 1), audio.HeaderExtensions);
        Assert.Equal(RtcpFeedbackTypes.None, audio.Feedback);
        Assert.Equal(2655508255u, audio.RemoteSsrc);
        Assert.Equal("{5d1c9a7e-2b40-4e83-9f16-c07a8e3d52b1}", audio.RemoteStreamId);

        NegotiatedMedia video = session.Media[1];
        Assert.Equal(126, video.PayloadType);
        Assert.Equal(Cb, video.Codec.FormatParameters);
        Assert.Equal((byte)127, video.RtxPayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 4, TransportWideCc: 0, Mid: 3, AudioLevel: 0), video.HeaderExtensions);
        Assert.Equal(PublisherVideoFeedback, video.Feedback);
        Assert.Equal(3914723860u, video.RemoteSsrc);
        Assert.Equal(1077432519u, video.RemoteRtxSsrc);

        Assert.Equal("9f3a2c71", session.RemoteTransport.IceUsernameFragment);
        Assert.Equal("6d1e0a9c4f27b83e5a0c19d7f2b64e08", session.RemoteTransport.IcePassword);
        Assert.Equal(0x3D, session.RemoteTransport.Fingerprint.Value[0]);
    }

    [Fact]
    public void GStreamerOffer_NegotiatesVp8WithNackAndPliOnly()
    {
        NegotiatedSession session = Negotiate(SdpFixtures.GStreamerWhip);

        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal("video0", video.Mid);
        Assert.Equal(96, video.PayloadType);
        Assert.Equal(RtpCodec.Vp8, video.Codec);
        Assert.Null(video.RtxPayloadType);
        Assert.Equal(RtpHeaderExtensionIds.None, video.HeaderExtensions);
        Assert.Equal(RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.Pli, video.Feedback);
        Assert.Equal(3484078950u, video.RemoteSsrc);
        Assert.Equal("user1745230871@host-6a1f0c2e", video.RemoteCname);
        Assert.Equal("user1745230871@host-6a1f0c2e", video.RemoteStreamId);
        Assert.Equal("webrtctransceiver0", video.RemoteTrackId);
        Assert.Equal("YZxU9JlWHzHcF6O2U09/q3PvBhbTPdZW", session.RemoteTransport.IceUsernameFragment);
    }

    [Theory]
    [InlineData("a=rtpmap:96 VP8/90000\na=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1;profile-level-id=4d001f", "96 97", 96)]
    [InlineData("a=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1;profile-level-id=4d001f\na=rtpmap:96 VP8/90000", "97 96", 96)]
    [InlineData("a=rtpmap:96 VP8/90000\na=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1;profile-level-id=42001f", "96 97", 97)]
    [InlineData("a=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1;profile-level-id=640c1f\na=rtpmap:98 H264/90000\na=fmtp:98 packetization-mode=1;profile-level-id=64001f", "98 97", 97)]
    [InlineData("a=rtpmap:98 H264/90000\na=fmtp:98 packetization-mode=1;profile-level-id=64001f", "98", 98)]
    [InlineData("a=rtpmap:100 H264/90000\na=fmtp:100 packetization-mode=1;profile-level-id=42e01f\na=rtpmap:101 H264/90000\na=fmtp:101 packetization-mode=1;profile-level-id=42e034", "100 101", 100)]
    [InlineData("a=rtpmap:101 H264/90000\na=fmtp:101 packetization-mode=1;profile-level-id=42e034\na=rtpmap:100 H264/90000\na=fmtp:100 packetization-mode=1;profile-level-id=42e01f", "101 100", 101)]
    [InlineData("a=rtpmap:102 h264/90000\na=fmtp:102 PACKETIZATION-MODE=1", "102", 102)]
    [InlineData("a=rtpmap:103 H264/90000\na=fmtp:103 packetization-mode=1;profile-level-id=4d401f", "103", 103)]
    [InlineData("a=rtpmap:96 vp8/90000", "96", 96)]
    public void VideoCodec_IsChosenByTheRelayPreferenceThenTheOfferOrder(string codecLines, string formats, int expectedPt)
    {
        NegotiatedSession session = NegotiateText(OfferText.MinimalVideoOffer(codecLines, formats));

        Assert.Equal(expectedPt, Assert.Single(session.Media).PayloadType);
    }

    [Fact]
    public void VideoCodec_WithoutProfileLevelIdIsBaselineAndKeepsNoProfileInItsParameters()
    {
        NegotiatedSession session = NegotiateText(OfferText.MinimalVideoOffer("a=rtpmap:102 H264/90000\na=fmtp:102 packetization-mode=1", "102"));

        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1", session.Media[0].Codec.FormatParameters);
    }

    [Fact]
    public void Rtx_IsTakenOnlyForTheChosenPayloadType()
    {
        string lines = "a=rtpmap:96 VP8/90000\na=rtpmap:97 rtx/90000\na=fmtp:97 apt=98\na=rtpmap:99 rtx/90000\na=fmtp:99 apt=96\na=rtpmap:100 rtx/48000\na=fmtp:100 apt=96";

        NegotiatedMedia video = NegotiateText(OfferText.MinimalVideoOffer(lines, "96 97 99 100")).Media[0];

        Assert.Equal((byte)99, video.RtxPayloadType);
    }

    [Fact]
    public void Rtx_ListedOnlyInAttributesButNotOnTheMLineIsIgnored()
    {
        string lines = "a=rtpmap:96 VP8/90000\na=rtpmap:97 rtx/90000\na=fmtp:97 apt=96";

        NegotiatedMedia video = NegotiateText(OfferText.MinimalVideoOffer(lines, "96")).Media[0];

        Assert.Null(video.RtxPayloadType);
    }

    [Fact]
    public void Feedback_CombinesWildcardAndPayloadSpecificLines()
    {
        string lines = "a=rtpmap:96 VP8/90000\na=rtcp-fb:* nack\na=rtcp-fb:96 nack pli\na=rtcp-fb:97 goog-remb\na=rtcp-fb:96 ccm tmmbr";

        NegotiatedMedia video = NegotiateText(OfferText.MinimalVideoOffer(lines, "96")).Media[0];

        Assert.Equal(RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.Pli, video.Feedback);
    }

    [Fact]
    public void HeaderExtensions_AboveFourteenOrDuplicatedAreLeftOut()
    {
        string offer = OfferText.MinimalVideoOffer(
            "a=extmap:15 urn:ietf:params:rtp-hdrext:sdes:mid\na=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\n" +
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\na=extmap:5 urn:ietf:params:rtp-hdrext:ssrc-audio-level\n" +
            "a=rtpmap:96 VP8/90000");

        NegotiatedMedia video = NegotiateText(offer).Media[0];

        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 3, TransportWideCc: 0, Mid: 0, AudioLevel: 0), video.HeaderExtensions);
    }

    [Fact]
    public void HeaderExtensions_AtSessionLevelApplyToSectionsWithoutTheirOwn()
    {
        string offer = OfferText.AddSessionLine(OfferText.MinimalVideoOffer(), "a=extmap:7 urn:ietf:params:rtp-hdrext:sdes:mid");

        Assert.Equal(7, NegotiateText(offer).Media[0].HeaderExtensions.Mid);
    }

    [Fact]
    public void Sendrecv_IsAcceptedLikeSendonly()
    {
        string offer = OfferText.ReplaceLines(SdpFixtures.Read(SdpFixtures.ChromeWhip), "a=sendonly", "a=sendrecv");

        Assert.Equal(2, NegotiateText(offer).Media.Count);
    }

    [Fact]
    public void DirectionAtSessionLevel_AppliesToSectionsWithoutOne()
    {
        string offer = OfferText.RemoveLines(SdpFixtures.Read(SdpFixtures.ChromeWhip), "a=sendonly");

        Assert.True(WhipNegotiator.TryNegotiate(OfferText.AddSessionLine(offer, "a=sendonly"), out _, out _));
        Assert.False(WhipNegotiator.TryNegotiate(OfferText.AddSessionLine(offer, "a=recvonly"), out _, out OfferRejection? rejection));
        Assert.Equal(OfferRejectionKind.UnsupportedDirection, rejection.Kind);
    }

    [Fact]
    public void InactiveSection_IsRefusedAloneWhileTheOtherIsAccepted()
    {
        string offer = OfferText.EditMedia(SdpFixtures.Read(SdpFixtures.ChromeWhip), "audio",
            lines => lines.Select(l => l == "a=sendonly" ? "a=inactive" : l).ToList());

        NegotiatedSession session = NegotiateText(offer);

        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal(1, video.MediaSectionIndex);
    }

    [Fact]
    public void DisabledSection_WithPortZeroIsRefusedAloneWhileTheOtherIsAccepted()
    {
        string offer = SdpFixtures.Read(SdpFixtures.ChromeWhip).Replace("m=audio 9 ", "m=audio 0 ", StringComparison.Ordinal);

        Assert.Equal(MediaKind.Video, Assert.Single(NegotiateText(offer).Media).Kind);
    }

    [Fact]
    public void BundleOnlySection_WithPortZeroIsAccepted()
    {
        string offer = OfferText.EditMedia(
            SdpFixtures.Read(SdpFixtures.ChromeWhip).Replace("m=video 9 ", "m=video 0 ", StringComparison.Ordinal),
            "video",
            lines => [.. lines, "a=bundle-only"]);

        Assert.Equal(2, NegotiateText(offer).Media.Count);
    }

    [Fact]
    public void DataChannelSection_BesideMediaIsRefusedAlone()
    {
        string offer = OfferText.AppendMedia(
            SdpFixtures.Read(SdpFixtures.ChromeWhip).Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2", StringComparison.Ordinal),
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:2",
            "a=sctp-port:5000");

        NegotiatedSession session = NegotiateText(offer);

        Assert.Equal(["0", "1"], session.Media.Select(m => m.Mid));
    }

    [Fact]
    public void SingleSection_WithoutBundleGroupIsAccepted()
    {
        string offer = OfferText.RemoveLines(SdpFixtures.Read(SdpFixtures.GStreamerWhip), "a=group:");

        Assert.Single(NegotiateText(offer).Media);
    }

    [Fact]
    public void TaggedSection_IsTheFirstAcceptedMidOfTheBundleGroup()
    {
        string offer = SdpFixtures.Read(SdpFixtures.ChromeWhip)
            .Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1 0", StringComparison.Ordinal);
        offer = OfferText.EditMedia(offer, "video", lines => lines.Select(l => l.StartsWith("a=ice-ufrag:", StringComparison.Ordinal) ? "a=ice-ufrag:Vvvv" : l).ToList());

        Assert.Equal("Vvvv", NegotiateText(offer).RemoteTransport.IceUsernameFragment);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a=setup:active")]
    [InlineData("a=setup:actpass")]
    public void Setup_ThatLetsThePeerBeTheDtlsClientIsAccepted(string? setup)
    {
        string offer = setup is null
            ? OfferText.RemoveLines(SdpFixtures.Read(SdpFixtures.ChromeWhip), "a=setup:")
            : OfferText.ReplaceLines(SdpFixtures.Read(SdpFixtures.ChromeWhip), "a=setup:", setup);

        Assert.Equal(DtlsRole.Client, NegotiateText(offer).RemoteTransport.DtlsRole);
    }

    [Fact]
    public void Fingerprint_Sha256IsChosenAmongSeveral()
    {
        string sha1 = "a=fingerprint:sha-1 " + string.Join(':', Enumerable.Repeat("11", 20));
        string offer = OfferText.EditMedia(SdpFixtures.Read(SdpFixtures.GStreamerWhip), "video", lines =>
        {
            lines.Insert(lines.FindIndex(l => l.StartsWith("a=fingerprint:", StringComparison.Ordinal)), sha1);
            return lines;
        });

        Assert.Equal(0xDB, NegotiateText(offer).RemoteTransport.Fingerprint.Value[0]);
    }

    [Fact]
    public void AudioOnlyOffer_IsAccepted()
    {
        NegotiatedSession session = NegotiateText(OfferText.KeepMedia(SdpFixtures.Read(SdpFixtures.ChromeWhip), "audio"));

        Assert.Equal(MediaKind.Audio, Assert.Single(session.Media).Kind);
    }

    /// <summary>
    /// What the relay takes from a publisher: only the feedback it sends (no transport-cc or REMB,
    /// which it does not send; a publisher waiting for them starves its own bitrate).
    /// </summary>
    internal const RtcpFeedbackTypes PublisherVideoFeedback = RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.Pli | RtcpFeedbackTypes.Fir;

    internal const RtcpFeedbackTypes AllVideoFeedback =
        RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.Pli | RtcpFeedbackTypes.Fir | RtcpFeedbackTypes.TransportCc | RtcpFeedbackTypes.Remb;

    internal static NegotiatedSession Negotiate(string fixture)
    {
        SessionDescription offer = SdpFixtures.Parse(fixture);
        Assert.True(WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        return session;
    }

    internal static NegotiatedSession NegotiateText(string offer)
    {
        Assert.True(WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        return session;
    }
}
