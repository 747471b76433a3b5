using System.Net;
using Relay.Control.Negotiation;
using Relay.Control.Sdp;
using Relay.Control.Tests.Sdp;

namespace Relay.Control.Tests.Negotiation;

/// <summary>
/// Offers captured from the real peers of the end-to-end tests (Chromium 156 running the test
/// pages, GStreamer 1.22 webrtcbin running whip_publish.py), negotiated as the relay will see them.
/// </summary>
public class CapturedOfferTests
{
    private static readonly IPEndPoint s_media = new(IPAddress.Loopback, 40000);

    [Fact]
    public void ChromiumVp8WhipOffer_NegotiatesVp8WithRtxNackPliFirAndTheMidExtension()
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedChromiumWhipVp8);

        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal(MediaKind.Video, video.Kind);
        Assert.Equal("0", video.Mid);
        Assert.Equal(96, video.PayloadType);
        Assert.Equal(RtpCodec.Vp8, video.Codec);
        Assert.Equal((byte)97, video.RtxPayloadType);
        Assert.Equal(WhipNegotiatorTests.PublisherVideoFeedback, video.Feedback);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 9, AudioLevel: 0), video.HeaderExtensions);
        Assert.Equal(272942777u, video.RemoteSsrc);
        Assert.Equal(3960986253u, video.RemoteRtxSsrc);
        Assert.Equal("yeDfdJvIHTBR5Gh7", video.RemoteCname);
        Assert.Equal("c0R9", session.RemoteTransport.IceUsernameFragment);
        Assert.Equal(["0"], session.BundleMids!);
    }

    [Fact]
    public void ChromiumH264WhipOffer_NegotiatesConstrainedBaselineWithItsRtx()
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedChromiumWhipH264);

        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal(108, video.PayloadType);
        Assert.Equal(RtpCodec.H264("42e01f"), video.Codec);
        Assert.Equal((byte)109, video.RtxPayloadType);
        Assert.Equal(WhipNegotiatorTests.PublisherVideoFeedback, video.Feedback);
        Assert.Equal(3007129288u, video.RemoteSsrc);
        Assert.Equal(713886272u, video.RemoteRtxSsrc);
    }

    [Fact]
    public void GStreamerWhipOffer_NegotiatesVp8WithoutRtxOrGenericNack()
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedGStreamerWhip);

        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal("video0", video.Mid);
        Assert.Equal(96, video.PayloadType);
        Assert.Equal(RtpCodec.Vp8, video.Codec);
        Assert.Null(video.RtxPayloadType);

        // webrtcbin 1.22 offers "nack pli", "ccm fir" and transport-cc, but not generic NACK;
        // the relay takes no transport-cc from a publisher.
        Assert.Equal(RtcpFeedbackTypes.Pli | RtcpFeedbackTypes.Fir, video.Feedback);
        Assert.Equal(default, video.HeaderExtensions);
        Assert.Equal(996736054u, video.RemoteSsrc);
        Assert.Null(video.RemoteRtxSsrc);
        Assert.Equal("user3986303554@host-282262f0", video.RemoteCname);
        Assert.Equal("webrtctransceiver0", video.RemoteTrackId);
        Assert.Equal(32, session.RemoteTransport.IceUsernameFragment.Length);
        Assert.Equal(["video0"], session.BundleMids!);
    }

    [Theory]
    [InlineData(SdpFixtures.CapturedChromiumWhipVp8)]
    [InlineData(SdpFixtures.CapturedChromiumWhipH264)]
    [InlineData(SdpFixtures.CapturedGStreamerWhip)]
    public void WhipAnswer_IsRecvonlyOnTheRelaysCandidateAndPassive(string fixture)
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(fixture);

        MediaDescription video = ParseAnswer(session);

        Assert.Equal(40000, video.Port);
        Assert.True(video.HasAttribute("recvonly"));
        Assert.True(video.HasAttribute("rtcp-mux"));
        Assert.Equal("passive", video.FindAttribute("setup")!.Value);
        Assert.Equal(session.Media[0].Mid, video.FindAttribute("mid")!.Value);
        Assert.Contains(video.FindAttributes("candidate"), c => c.Value!.Contains("127.0.0.1 40000 typ host", StringComparison.Ordinal));
        Assert.Equal(session.Media[0].PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture), video.Formats[0]);
    }

    [Fact]
    public void ChromiumWhepOffer_ReceivesVp8UnderTheViewersPayloadTypesWithRtx()
    {
        NegotiatedSession session = WhepNegotiatorTests.Negotiate(
            SdpFixtures.Read(SdpFixtures.CapturedChromiumWhep), TestStreams.VideoOnly(RtpCodec.Vp8));

        NegotiatedMedia video = Assert.Single(session.Media);
        Assert.Equal(96, video.PayloadType);
        Assert.Equal((byte)97, video.RtxPayloadType);
        Assert.Equal(TestStreams.VideoSsrc, video.LocalSsrc);
        Assert.Equal(TestStreams.VideoRtxSsrc, video.LocalRtxSsrc);
        Assert.Equal(WhipNegotiatorTests.AllVideoFeedback, video.Feedback);

        MediaDescription answer = ParseAnswer(session);
        Assert.True(answer.HasAttribute("sendonly"));
        Assert.Equal(["96", "97"], answer.Formats);
        Assert.Contains(answer.FindAttributes("ssrc"), s => s.Value == $"{TestStreams.VideoSsrc} cname:relay-cname");
    }

    [Fact]
    public void ChromiumWhepOffer_ReceivesWhatAChromiumPublisherSentInH264()
    {
        NegotiatedSession publisher = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedChromiumWhipH264);
        OutgoingMedia stream = TestStreams.VideoOnly(publisher.Media[0].Codec);

        NegotiatedSession viewer = WhepNegotiatorTests.Negotiate(SdpFixtures.Read(SdpFixtures.CapturedChromiumWhep), stream);

        NegotiatedMedia video = Assert.Single(viewer.Media);
        Assert.Equal(108, video.PayloadType);
        Assert.Equal((byte)109, video.RtxPayloadType);
        Assert.Equal(publisher.Media[0].Codec, video.Codec);
    }

    [Fact]
    public void ChromiumWhepOffer_ReceivesWhatGStreamerPublished()
    {
        NegotiatedSession publisher = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedGStreamerWhip);
        OutgoingMedia stream = TestStreams.VideoOnly(publisher.Media[0].Codec);

        NegotiatedSession viewer = WhepNegotiatorTests.Negotiate(SdpFixtures.Read(SdpFixtures.CapturedChromiumWhep), stream);

        Assert.Equal(RtpCodec.Vp8, Assert.Single(viewer.Media).Codec);
    }

    [Fact]
    public void ChromiumAudioVideoWhipOffer_NegotiatesOpusAndConstrainedBaselineOutOfChromiumsFullList()
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedChromiumWhipAudioVideo);

        Assert.Equal(["0", "1"], session.BundleMids!);
        NegotiatedMedia audio = session.Media[0];
        Assert.Equal(111, audio.PayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 4, AudioLevel: 1), audio.HeaderExtensions);
        Assert.Equal(3525679657u, audio.RemoteSsrc);

        NegotiatedMedia video = session.Media[1];
        Assert.Equal(108, video.PayloadType);
        Assert.Equal(RtpCodec.H264("42e01f"), video.Codec);
        Assert.Equal((byte)109, video.RtxPayloadType);
        Assert.Equal(new RtpHeaderExtensionIds(AbsSendTime: 2, TransportWideCc: 0, Mid: 4, AudioLevel: 0), video.HeaderExtensions);
        Assert.Equal(2147444185u, video.RemoteSsrc);
        Assert.Equal(3456415160u, video.RemoteRtxSsrc);
    }

    [Fact]
    public void ChromiumAudioVideoWhepOffer_ReceivesWhatAChromiumCallerPublishedWithAudio()
    {
        NegotiatedSession publisher = WhipNegotiatorTests.Negotiate(SdpFixtures.CapturedChromiumWhipAudioVideo);
        OutgoingMedia stream = TestStreams.H264AndOpus();

        NegotiatedSession viewer = WhepNegotiatorTests.Negotiate(SdpFixtures.Read(SdpFixtures.CapturedChromiumWhepAudioVideo), stream);

        Assert.Equal([MediaKind.Video, MediaKind.Audio], viewer.Media.Select(m => m.Kind));
        Assert.Equal(publisher.Media[1].Codec, viewer.Media[0].Codec);
        Assert.Equal(108, viewer.Media[0].PayloadType);
        Assert.Equal(111, viewer.Media[1].PayloadType);
        Assert.Equal(TestStreams.AudioSsrc, viewer.Media[1].LocalSsrc);
    }

    [Theory]
    [InlineData(SdpFixtures.CapturedChromiumWhipVp8)]
    [InlineData(SdpFixtures.CapturedChromiumWhipH264)]
    [InlineData(SdpFixtures.CapturedChromiumWhipAudioVideo)]
    [InlineData(SdpFixtures.CapturedGStreamerWhip)]
    public void WhipAnswer_OffersThePublisherNoCongestionFeedbackTheRelayNeverSends(string fixture)
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(fixture);

        string answer = session.CreateAnswer(AnswerTests.Local(s_media));

        // Regression: Chromium 156, answered transport-cc and goog-remb that never came, cut its
        // send rate from 280 to 37 kbps within 10 s (end-to-end test CallerSendRateTests).
        Assert.DoesNotContain("transport-cc", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("goog-remb", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(RtpHeaderExtensionUris.TransportWideCc, answer, StringComparison.Ordinal);
        Assert.Contains(" nack pli\r\n", answer, StringComparison.Ordinal);
    }

    private static MediaDescription ParseAnswer(NegotiatedSession session)
    {
        string text = session.CreateAnswer(AnswerTests.Local(s_media));
        Assert.True(SdpParser.TryParse(text, out SessionDescription? answer, out string? error), error);
        return Assert.Single(answer.MediaDescriptions);
    }
}
