using Relay.Control.Negotiation;
using Relay.Control.Sdp;
using Relay.Control.Tests.Sdp;

namespace Relay.Control.Tests.Negotiation;

public class WhepNegotiatorTests
{
    [Fact]
    public void ChromeViewer_ReceivesThePublishedH264UnderItsOwnPayloadTypes()
    {
        NegotiatedSession session = Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.H264AndOpus());

        Assert.Equal(NegotiationKind.Whep, session.Kind);
        NegotiatedMedia video = session.Media[0];
        Assert.Equal("0", video.Mid);
        Assert.Equal(106, video.PayloadType);
        Assert.Equal(RtpCodec.H264("42e01f"), video.Codec);
        Assert.Equal((byte)107, video.RtxPayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 4, Mid: 9, AudioLevel: 0), video.HeaderExtensions);
        Assert.Equal(WhipNegotiatorTests.AllVideoFeedback, video.Feedback);
        Assert.Equal(TestStreams.VideoSsrc, video.LocalSsrc);
        Assert.Equal(TestStreams.VideoRtxSsrc, video.LocalRtxSsrc);
        Assert.Null(video.RemoteSsrc);

        NegotiatedMedia audio = session.Media[1];
        Assert.Equal("1", audio.Mid);
        Assert.Equal(111, audio.PayloadType);
        Assert.Equal(RtpCodec.Opus, audio.Codec);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 4, Mid: 9, AudioLevel: 14), audio.HeaderExtensions);
        Assert.Equal(TestStreams.AudioSsrc, audio.LocalSsrc);
        Assert.Null(audio.LocalRtxSsrc);

        Assert.Equal("k8Zp", session.RemoteTransport.IceUsernameFragment);
    }

    [Fact]
    public void ChromeViewer_ReceivesVp8UnderItsPayloadType()
    {
        NegotiatedMedia video = Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.Vp8AndOpus()).Media[0];

        Assert.Equal(96, video.PayloadType);
        Assert.Equal((byte)97, video.RtxPayloadType);
        Assert.Equal(RtpCodec.Vp8, video.Codec);
    }

    [Fact]
    public void ChromeViewer_ReceivesHighProfileWhenItOffersIt()
    {
        NegotiatedMedia video = Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.VideoOnly(RtpCodec.H264("64001f"))).Media[0];

        Assert.Equal(112, video.PayloadType);
        Assert.Equal((byte)113, video.RtxPayloadType);
    }

    [Fact]
    public void SafariViewer_ReceivesConstrainedHighFromASafariPublisher()
    {
        string offer = OfferText.ReplaceLines(SdpFixtures.Read(SdpFixtures.SafariWhip), "a=sendonly", "a=recvonly");

        NegotiatedMedia video = Negotiate(offer, TestStreams.VideoOnly(RtpCodec.H264("640c1f"))).Media[0];

        Assert.Equal(96, video.PayloadType);
        Assert.Equal((byte)97, video.RtxPayloadType);
    }

    [Fact]
    public void StreamWithoutRtx_NegotiatesNoRtxEvenWhenOffered()
    {
        NegotiatedMedia video = Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.H264AndOpus(rtx: false)).Media[0];

        Assert.Null(video.RtxPayloadType);
        Assert.Null(video.LocalRtxSsrc);
    }

    [Fact]
    public void ViewerWithoutRtx_GetsNoRtxSsrc()
    {
        string offer = OfferText.MinimalVideoOffer().Replace("a=sendonly", "a=recvonly", StringComparison.Ordinal);

        NegotiatedMedia video = Negotiate(offer, TestStreams.Vp8AndOpus()).Media[0];

        Assert.Null(video.RtxPayloadType);
        Assert.Null(video.LocalRtxSsrc);
        Assert.Equal(TestStreams.VideoSsrc, video.LocalSsrc);
    }

    [Fact]
    public void SectionForAKindTheStreamLacks_IsRefusedAlone()
    {
        NegotiatedSession session = Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.VideoOnly(RtpCodec.Vp8));

        Assert.Equal(MediaKind.Video, Assert.Single(session.Media).Kind);
    }

    [Fact]
    public void SendrecvViewer_IsAnsweredAndItsSsrcsAreRead()
    {
        string offer = OfferText.ReplaceLines(SdpFixtures.Read(SdpFixtures.ChromeWhip), "a=sendonly", "a=sendrecv");

        NegotiatedSession session = Negotiate(offer, TestStreams.H264AndOpus());

        Assert.Equal(1809363945u, session.Media[0].RemoteSsrc);
        Assert.Equal(TestStreams.AudioSsrc, session.Media[0].LocalSsrc);
    }

    public static TheoryData<string, OutgoingMedia> InvalidStreams() => new()
    {
        { "two video tracks", new OutgoingMedia("s", "c", [new(MediaKind.Video, RtpCodec.Vp8, 1, null, "a"), new(MediaKind.Video, RtpCodec.Vp8, 2, null, "b")]) },
        { "codec of the other kind", new OutgoingMedia("s", "c", [new(MediaKind.Audio, RtpCodec.Vp8, 1, null, "a")]) },
        { "codec the relay does not support", new OutgoingMedia("s", "c", [new(MediaKind.Video, new RtpCodec("VP9", 90000), 1, null, "a")]) },
        { "H.264 in packetization mode 0", new OutgoingMedia("s", "c", [new(MediaKind.Video, new RtpCodec("H264", 90000, null, "profile-level-id=42e01f"), 1, null, "a")]) },
        { "track id with a space", new OutgoingMedia("s", "c", [new(MediaKind.Video, RtpCodec.Vp8, 1, null, "a b")]) },
        { "stream id that is not a token", new OutgoingMedia("s@host", "c", [new(MediaKind.Video, RtpCodec.Vp8, 1, null, "a")]) },
        { "CNAME with a line break", new OutgoingMedia("s", "c\r\na=x", [new(MediaKind.Video, RtpCodec.Vp8, 1, null, "a")]) },
        { "RTX SSRC equal to the media SSRC", new OutgoingMedia("s", "c", [new(MediaKind.Video, RtpCodec.Vp8, 1, 1, "a")]) },
        { "RTX on audio", new OutgoingMedia("s", "c", [new(MediaKind.Audio, RtpCodec.Opus, 1, 2, "a")]) },
    };

    [Theory]
    [MemberData(nameof(InvalidStreams))]
    public void TryNegotiate_ThrowsForAStreamTheRelayCouldNotHaveMade(string name, OutgoingMedia stream)
    {
        Assert.Throws<ArgumentException>(() => WhepNegotiator.TryNegotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), stream, out _, out _));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void RtpCodecH264_ThrowsForAnUnsupportedProfile()
    {
        Assert.Throws<ArgumentException>(() => RtpCodec.H264("f4001f"));
        Assert.Throws<ArgumentException>(() => RtpCodec.H264("42e0"));
    }

    internal static NegotiatedSession Negotiate(string offer, OutgoingMedia stream)
    {
        Assert.True(SdpParser.TryParse(offer, out SessionDescription? parsed, out string? error), error);
        Assert.True(WhepNegotiator.TryNegotiate(parsed, stream, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        return session;
    }
}
