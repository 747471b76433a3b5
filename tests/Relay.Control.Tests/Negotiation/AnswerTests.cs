using System.Net;
using Relay.Control.Negotiation;
using Relay.Control.Sdp;
using Relay.Control.Tests.Sdp;
using Relay.Transport.Dtls;

namespace Relay.Control.Tests.Negotiation;

public class AnswerTests
{
    private static readonly byte[] s_relayHash = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();

    internal static LocalTransportParameters Local(params IPEndPoint[] candidates) => new(
        "RlAy",
        "relaypassword0123456789",
        DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash),
        candidates.Length == 0 ? [new IPEndPoint(IPAddress.Parse("203.0.113.10"), 40000)] : candidates);

    public static TheoryData<string, bool> Offers() => new()
    {
        { SdpFixtures.ChromeWhip, false },
        { SdpFixtures.SafariWhip, false },
        { SdpFixtures.FirefoxWhip, false },
        { SdpFixtures.GStreamerWhip, false },
        { SdpFixtures.ChromeWhep, true },
    };

    [Theory]
    [MemberData(nameof(Offers))]
    public void Answer_IsIceLiteDtlsPassiveBundledAndMatchesTheOfferSectionForSection(string fixture, bool whep)
    {
        SessionDescription offer = SdpFixtures.Parse(fixture);
        NegotiatedSession session = whep
            ? WhepNegotiatorTests.Negotiate(SdpFixtures.Read(fixture), TestStreams.H264AndOpus())
            : WhipNegotiatorTests.Negotiate(fixture);

        string text = session.CreateAnswer(Local());

        Assert.DoesNotContain('\n', text.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.True(SdpParser.TryParse(text, out SessionDescription? answer, out string? error), error);
        Assert.True(answer.HasAttribute("ice-lite"));
        Assert.Equal("IN IP4 0.0.0.0", $"{answer.Origin.NetworkType} {answer.Origin.AddressType} {answer.Origin.UnicastAddress}");

        Assert.Equal(offer.MediaDescriptions.Count, answer.MediaDescriptions.Count);
        Assert.Equal(
            offer.MediaDescriptions.Select(m => (m.MediaType, m.FindAttribute("mid")?.Value)),
            answer.MediaDescriptions.Select(m => (m.MediaType, m.FindAttribute("mid")?.Value)));

        string[] bundle = answer.FindAttribute("group")!.Value!.Split(' ');
        Assert.Equal("BUNDLE", bundle[0]);
        Assert.Equal(session.Media.Select(m => m.Mid), bundle.Skip(1));

        foreach (NegotiatedMedia media in session.Media)
        {
            MediaDescription section = answer.MediaDescriptions[media.MediaSectionIndex];
            Assert.Equal(40000, section.Port);
            Assert.Equal(new SdpConnection("IN", "IP4", "203.0.113.10"), Assert.Single(section.Connections));
            Assert.Equal("passive", section.FindAttribute("setup")!.Value);
            Assert.Equal("RlAy", section.FindAttribute("ice-ufrag")!.Value);
            Assert.Equal("relaypassword0123456789", section.FindAttribute("ice-pwd")!.Value);
            Assert.True(SdpFingerprint.TryParse(section.FindAttribute("fingerprint")!.Value, out SdpFingerprint? fingerprint));
            Assert.Equal("sha-256", fingerprint.HashFunction);
            Assert.Equal(s_relayHash, fingerprint.Value.ToArray());
            Assert.True(section.HasAttribute("rtcp-mux"));
            Assert.True(section.HasAttribute(whep ? "sendonly" : "recvonly"));
            Assert.True(SdpCandidate.TryParse(section.FindAttribute("candidate")!.Value, out SdpCandidate? candidate));
            Assert.Equal(new SdpCandidate("1", 1, "udp", 2130706431, "203.0.113.10", 40000, "host"), candidate);
            Assert.Equal("end-of-candidates", section.Attributes[^1].Name);

            byte[] expectedFormats = media.RtxPayloadType is byte rtx ? [media.PayloadType, rtx] : [media.PayloadType];
            Assert.Equal(expectedFormats.Select(pt => pt.ToString(System.Globalization.CultureInfo.InvariantCulture)), section.Formats);
            Assert.True(SdpRtpMap.TryParse(section.FindAttribute("rtpmap")!.Value, out SdpRtpMap? map));
            Assert.Equal(new SdpRtpMap(media.PayloadType, media.Codec.Name, media.Codec.ClockRate, media.Codec.Channels), map);
        }
    }

    [Theory]
    [MemberData(nameof(Offers))]
    public void Answer_NamesTheNegotiatedExtensionsFeedbackAndCodecParameters(string fixture, bool whep)
    {
        NegotiatedSession session = whep
            ? WhepNegotiatorTests.Negotiate(SdpFixtures.Read(fixture), TestStreams.H264AndOpus())
            : WhipNegotiatorTests.Negotiate(fixture);
        Assert.True(SdpParser.TryParse(session.CreateAnswer(Local()), out SessionDescription? answer, out _));

        foreach (NegotiatedMedia media in session.Media)
        {
            MediaDescription section = answer.MediaDescriptions[media.MediaSectionIndex];
            var extensions = section.FindAttributes("extmap")
                .Select(a => Assert.IsType<SdpExtensionMap>(SdpExtensionMap.TryParse(a.Value, out SdpExtensionMap? map) ? map : null))
                .ToDictionary(m => m.Uri, m => m.Id);
            RtpHeaderExtensionIds ids = media.HeaderExtensions;
            Assert.Equal(ids.Mid, extensions.GetValueOrDefault(RtpHeaderExtensionUris.Mid));
            Assert.Equal(ids.AbsSendTime, extensions.GetValueOrDefault(RtpHeaderExtensionUris.AbsSendTime));
            Assert.Equal(ids.TransportWideCc, extensions.GetValueOrDefault(RtpHeaderExtensionUris.TransportWideCc));
            Assert.Equal(ids.AudioLevel, extensions.GetValueOrDefault(RtpHeaderExtensionUris.AudioLevel));

            var feedback = section.FindAttributes("rtcp-fb").Select(a => a.Value).ToHashSet();
            Assert.Equal((media.Feedback & RtcpFeedbackTypes.Nack) != 0, feedback.Contains($"{media.PayloadType} nack"));
            Assert.Equal((media.Feedback & RtcpFeedbackTypes.Pli) != 0, feedback.Contains($"{media.PayloadType} nack pli"));
            Assert.Equal((media.Feedback & RtcpFeedbackTypes.Fir) != 0, feedback.Contains($"{media.PayloadType} ccm fir"));
            Assert.Equal((media.Feedback & RtcpFeedbackTypes.TransportCc) != 0, feedback.Contains($"{media.PayloadType} transport-cc"));
            Assert.Equal((media.Feedback & RtcpFeedbackTypes.Remb) != 0, feedback.Contains($"{media.PayloadType} goog-remb"));

            var fmtps = section.FindAttributes("fmtp").Select(a => a.Value).ToList();
            if (media.Codec.FormatParameters is not null)
            {
                Assert.Contains($"{media.PayloadType} {media.Codec.FormatParameters}", fmtps);
            }

            if (media.RtxPayloadType is byte rtx)
            {
                Assert.Contains($"{rtx} rtx/90000", section.FindAttributes("rtpmap").Select(a => a.Value));
                Assert.Contains($"{rtx} apt={media.PayloadType}", fmtps);
            }
        }
    }

    [Fact]
    public void WhepAnswer_DescribesTheRelaysSsrcsAndMsid()
    {
        NegotiatedSession session = WhepNegotiatorTests.Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.H264AndOpus());
        Assert.True(SdpParser.TryParse(session.CreateAnswer(Local()), out SessionDescription? answer, out _));

        MediaDescription video = answer.MediaDescriptions[0];
        Assert.Equal("relay-stream relay-video", video.FindAttribute("msid")!.Value);
        Assert.Equal($"FID {TestStreams.VideoSsrc} {TestStreams.VideoRtxSsrc}", video.FindAttribute("ssrc-group")!.Value);
        Assert.Equal(
            [
                $"{TestStreams.VideoSsrc} cname:relay-cname",
                $"{TestStreams.VideoSsrc} msid:relay-stream relay-video",
                $"{TestStreams.VideoRtxSsrc} cname:relay-cname",
                $"{TestStreams.VideoRtxSsrc} msid:relay-stream relay-video",
            ],
            video.FindAttributes("ssrc").Select(a => a.Value));
        Assert.Equal("106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", video.FindAttribute("fmtp")!.Value);

        MediaDescription audio = answer.MediaDescriptions[1];
        Assert.Equal("relay-stream relay-audio", audio.FindAttribute("msid")!.Value);
        Assert.Null(audio.FindAttribute("ssrc-group"));
        Assert.Equal("111 minptime=10;useinbandfec=1", audio.FindAttribute("fmtp")!.Value);
    }

    [Fact]
    public void WhepAnswer_ReadBackByTheWhipNegotiatorGivesTheSameCodecs()
    {
        NegotiatedSession session = WhepNegotiatorTests.Negotiate(SdpFixtures.Read(SdpFixtures.ChromeWhep), TestStreams.H264AndOpus());
        string answer = session.CreateAnswer(Local())
            .Replace("a=ice-lite\r\n", string.Empty, StringComparison.Ordinal)
            .Replace("a=setup:passive", "a=setup:actpass", StringComparison.Ordinal);

        // The relay's sendonly answer, seen as an offer, is what a publisher of this stream would send.
        Assert.True(WhipNegotiator.TryNegotiate(answer, out NegotiatedSession? mirrored, out OfferRejection? rejection), rejection?.Reason);
        // Less what the relay never takes from a publisher: transport-cc and REMB.
        Assert.Equal(
            session.Media.Select(m => (m.Mid, m.PayloadType, m.Codec, m.RtxPayloadType, m.HeaderExtensions with { TransportWideCc = 0 },
                m.Feedback & ~(RtcpFeedbackTypes.TransportCc | RtcpFeedbackTypes.Remb))),
            mirrored.Media.Select(m => (m.Mid, m.PayloadType, m.Codec, m.RtxPayloadType, m.HeaderExtensions, m.Feedback)));
        Assert.Equal([TestStreams.VideoSsrc, TestStreams.AudioSsrc], mirrored.Media.Select(m => m.RemoteSsrc!.Value));
        Assert.Equal(TestStreams.VideoRtxSsrc, mirrored.Media[0].RemoteRtxSsrc);
    }

    [Fact]
    public void RefusedSections_AreAnsweredWithPortZeroAndTheirMid()
    {
        string offer = OfferText.AppendMedia(
            SdpFixtures.Read(SdpFixtures.ChromeWhip).Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2", StringComparison.Ordinal),
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:2",
            "a=sctp-port:5000");
        NegotiatedSession session = WhipNegotiatorTests.NegotiateText(offer);

        Assert.True(SdpParser.TryParse(session.CreateAnswer(Local()), out SessionDescription? answer, out _));

        MediaDescription application = answer.MediaDescriptions[2];
        Assert.Equal("application", application.MediaType);
        Assert.Equal(0, application.Port);
        Assert.Equal("UDP/DTLS/SCTP", application.Protocol);
        Assert.Equal(["webrtc-datachannel"], application.Formats);
        Assert.Equal([new SdpAttributeLine("mid", "2")], application.Attributes);
        Assert.Equal("BUNDLE 0 1", answer.FindAttribute("group")!.Value);
    }

    [Fact]
    public void Answer_ListsOneHostCandidatePerAddressFirstPreferred()
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(SdpFixtures.GStreamerWhip);
        LocalTransportParameters local = Local(
            new IPEndPoint(IPAddress.Parse("2001:db8::10"), 40000),
            new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.7"), 40002));

        Assert.True(SdpParser.TryParse(session.CreateAnswer(local), out SessionDescription? answer, out _));

        MediaDescription video = answer.MediaDescriptions[0];
        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::10"), Assert.Single(video.Connections));
        Assert.Equal(40000, video.Port);
        Assert.Equal(
            ["1 1 udp 2130706431 2001:db8::10 40000 typ host", "2 1 udp 2130706175 198.51.100.7 40002 typ host"],
            video.FindAttributes("candidate").Select(a => a.Value));
    }

    [Fact]
    public void SingleSectionOfferWithoutBundle_IsAnsweredWithoutAGroup()
    {
        NegotiatedSession session = WhipNegotiatorTests.NegotiateText(OfferText.RemoveLines(SdpFixtures.Read(SdpFixtures.GStreamerWhip), "a=group:"));

        Assert.True(SdpParser.TryParse(session.CreateAnswer(Local()), out SessionDescription? answer, out _));
        Assert.Null(answer.FindAttribute("group"));
    }

    [Fact]
    public void Answer_HasAFreshSessionIdBelowTwoToTheSixtyThree()
    {
        NegotiatedSession session = WhipNegotiatorTests.Negotiate(SdpFixtures.GStreamerWhip);

        Assert.True(SdpParser.TryParse(session.CreateAnswer(Local()), out SessionDescription? first, out _));
        Assert.True(SdpParser.TryParse(session.CreateAnswer(Local()), out SessionDescription? second, out _));

        Assert.True(long.TryParse(first.Origin.SessionId, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.NotEqual(first.Origin.SessionId, second.Origin.SessionId);
    }

    public static TheoryData<string, Func<LocalTransportParameters>> InvalidLocals() => new()
    {
        { "short ufrag", () => new("abc", "relaypassword0123456789", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash), [new IPEndPoint(IPAddress.Loopback, 1)]) },
        { "short password", () => new("abcd", "short", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash), [new IPEndPoint(IPAddress.Loopback, 1)]) },
        { "password with a colon", () => new("abcd", "relaypassword:123456789", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash), [new IPEndPoint(IPAddress.Loopback, 1)]) },
        { "no candidates", () => new("abcd", "relaypassword0123456789", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash), []) },
        { "wildcard address", () => new("abcd", "relaypassword0123456789", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash), [new IPEndPoint(IPAddress.Any, 40000)]) },
        { "port zero", () => new("abcd", "relaypassword0123456789", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash), [new IPEndPoint(IPAddress.Loopback, 0)]) },
        { "fingerprint of the wrong length", () => new("abcd", "relaypassword0123456789", DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash.AsSpan(0, 20)), [new IPEndPoint(IPAddress.Loopback, 1)]) },
    };

    [Theory]
    [MemberData(nameof(InvalidLocals))]
    public void LocalTransportParameters_ThrowsForValuesThatWouldMakeABrokenAnswer(string name, Func<LocalTransportParameters> create)
    {
        Assert.Throws<ArgumentException>(create);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void DtlsFingerprint_ComparesByValueAndWritesAsSdpDoes()
    {
        DtlsFingerprint a = DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, s_relayHash);
        DtlsFingerprint b = DtlsFingerprint.Parse(a.ToString().ToLowerInvariant());

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.StartsWith("sha-256 A0:A1:A2:", a.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(a, DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, new byte[32]));
    }
}
