using System.Text;
using Relay.Control.Negotiation;
using Relay.Control.Sdp;
using Relay.Control.Tests.Sdp;
using Relay.Testing;

namespace Relay.Control.Tests.Negotiation;

/// <summary>
/// Whatever arrives in a WHIP or WHEP body, the pipeline (parse, negotiate, write the answer)
/// either refuses it with a reason or produces an answer that parses again. Nothing throws.
/// </summary>
public class NegotiationHostileInputTests
{
    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void EveryTruncationAtALineBoundary_IsAnsweredOrRefusedWithAReason(string fixture)
    {
        string sdp = SdpFixtures.Read(fixture);
        for (int end = sdp.IndexOf('\n', StringComparison.Ordinal); end >= 0; end = sdp.IndexOf('\n', end + 1))
        {
            AssertAnsweredOrRefused(sdp[..(end + 1)]);
        }
    }

    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void EveryTruncatedPrefix_IsAnsweredOrRefusedWithAReason(string fixture)
    {
        foreach (byte[] prefix in HostileInput.Truncations(Encoding.UTF8.GetBytes(SdpFixtures.Read(fixture))))
        {
            AssertAnsweredOrRefused(Encoding.UTF8.GetString(prefix));
        }
    }

    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void SeededCorruptions_AreAnsweredOrRefusedWithAReason(string fixture)
    {
        foreach ((int _, byte[] input) in HostileInput.Corruptions(Encoding.UTF8.GetBytes(SdpFixtures.Read(fixture)), seeds: 200, perSeed: 20))
        {
            AssertAnsweredOrRefused(Encoding.UTF8.GetString(input));
        }
    }

    [Fact]
    public void SixtyFourVideoSections_AreRefusedAsTooManyTracks()
    {
        string offer = SdpFixtures.Read(SdpFixtures.GStreamerWhip);
        (List<string> session, List<List<string>> media) = OfferText.Split(offer);
        List<List<string>> many = Enumerable.Range(0, SdpParser.MaxMediaDescriptions)
            .Select(i => media[0].Select(l => l == "a=mid:video0" ? $"a=mid:v{i}" : l).ToList())
            .ToList();

        Assert.False(WhipNegotiator.TryNegotiate(OfferText.Join(session, many), out _, out OfferRejection? rejection));
        Assert.Equal(OfferRejectionKind.TooManyTracks, rejection.Kind);
        Assert.Contains("64 video sections", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ThousandsOfCodecAttributes_AreNegotiatedWithoutTrouble()
    {
        // The first rtpmap for a payload type counts; the flood after it cannot override VP8.
        var lines = new StringBuilder("a=rtpmap:127 VP8/90000\n");
        for (int i = 0; i < 1800; i++)
        {
            int pt = i % 128;
            lines.Append((i % 3) switch
            {
                0 => $"a=rtpmap:{pt} H264/90000",
                1 => $"a=fmtp:{pt} apt={pt};packetization-mode=1;profile-level-id=f4001f",
                _ => $"a=rtcp-fb:{pt} nack",
            });
            lines.Append(i < 1799 ? "\n" : string.Empty);
        }

        string offer = OfferText.MinimalVideoOffer(lines.ToString(), string.Join(' ', Enumerable.Range(0, 128)));

        AssertAnsweredOrRefused(offer);
        Assert.True(WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection), rejection?.Reason);
        Assert.Equal(127, session.Media[0].PayloadType);
    }

    [Theory]
    [InlineData("a=extmap:255 urn:ietf:params:rtp-hdrext:sdes:mid")]
    [InlineData("a=extmap:1/inactive urn:ietf:params:rtp-hdrext:sdes:mid")]
    [InlineData("a=ssrc-group:FID 1 1")]
    [InlineData("a=ssrc-group:FID")]
    [InlineData("a=ssrc:1 msid:")]
    [InlineData("a=ssrc:1 cname:")]
    [InlineData("a=msid:")]
    [InlineData("a=fmtp:96 apt=96")]
    [InlineData("a=rtpmap:96 rtx/90000")]
    [InlineData("a=rtcp-fb:96")]
    [InlineData("a=mid:")]
    [InlineData("a=mid")]
    [InlineData("a=group:BUNDLE")]
    [InlineData("a=fingerprint")]
    [InlineData("a=setup")]
    [InlineData("a=ice-ufrag")]
    [InlineData("a=bundle-only")]
    public void OddButParsableAttributes_AreAnsweredOrRefusedWithAReason(string attribute)
    {
        AssertAnsweredOrRefused(OfferText.AppendMedia(SdpFixtures.Read(SdpFixtures.GStreamerWhip), attribute));
        AssertAnsweredOrRefused(OfferText.AddSessionLine(SdpFixtures.Read(SdpFixtures.ChromeWhip), attribute));
    }

    private static readonly LocalTransportParameters s_local = AnswerTests.Local();

    private static void AssertAnsweredOrRefused(string offer)
    {
        AssertOutcome(WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? session, out OfferRejection? rejection), session, rejection);
        AssertOutcome(WhepNegotiator.TryNegotiate(offer, TestStreams.H264AndOpus(), out session, out rejection), session, rejection);
    }

    private static void AssertOutcome(bool accepted, NegotiatedSession? session, OfferRejection? rejection)
    {
        if (!accepted)
        {
            Assert.Null(session);
            Assert.False(string.IsNullOrWhiteSpace(rejection?.Reason));
            return;
        }

        Assert.NotNull(session);
        Assert.InRange(session.Media.Count, 1, 2);
        string answer = session.CreateAnswer(s_local);
        Assert.True(SdpParser.TryParse(answer, out SessionDescription? parsed, out string? error), error + "\n" + answer);
        Assert.Equal(session.Sections.Count, parsed.MediaDescriptions.Count);
    }
}
