using Relay.Control.Sdp;

namespace Relay.Control.Tests.Sdp;

public class SdpParserTests
{
    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void TryParse_ReadsEveryFixtureWithCrlfAndWithLf(string fixture)
    {
        Assert.True(SdpParser.TryParse(SdpFixtures.Read(fixture), out SessionDescription? crlf, out string? error), error);
        Assert.True(SdpParser.TryParse(SdpFixtures.ReadLf(fixture), out SessionDescription? lf, out error), error);

        Assert.Equal(SdpWriter.Write(crlf), SdpWriter.Write(lf));
        Assert.NotEmpty(crlf.MediaDescriptions);
    }

    [Fact]
    public void TryParse_ReadsTheChromeOfferStructure()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.ChromeWhip);

        Assert.Equal(new SdpOrigin("-", "5766327394413961286", "2", "IN", "IP4", "127.0.0.1"), offer.Origin);
        Assert.Equal("-", offer.SessionName);
        Assert.Equal(SdpTiming.Unbounded, Assert.Single(offer.Timings));
        Assert.Equal(
            ["group", "extmap-allow-mixed", "msid-semantic"],
            offer.Attributes.Select(a => a.Name));
        Assert.Equal("BUNDLE 0 1", offer.FindAttribute("group")!.Value);
        Assert.Null(offer.FindAttribute("extmap-allow-mixed")!.Value);
        Assert.Equal(" WMS 1f3c8e52-7a0d-4b6e-9c21-5d84e0a7f913", offer.FindAttribute("msid-semantic")!.Value);

        Assert.Equal(2, offer.MediaDescriptions.Count);
        MediaDescription audio = offer.MediaDescriptions[0];
        Assert.Equal("audio", audio.MediaType);
        Assert.Equal(9, audio.Port);
        Assert.Null(audio.PortCount);
        Assert.Equal("UDP/TLS/RTP/SAVPF", audio.Protocol);
        Assert.Equal(["111", "63", "9", "0", "8", "13", "110", "126"], audio.Formats);
        Assert.Equal(new SdpConnection("IN", "IP4", "0.0.0.0"), Assert.Single(audio.Connections));
        Assert.Equal("0", audio.FindAttribute("mid")!.Value);
        Assert.True(audio.HasAttribute("rtcp-mux"));

        MediaDescription video = offer.MediaDescriptions[1];
        Assert.Equal("video", video.MediaType);
        Assert.Equal(25, video.Formats.Count);
        Assert.Equal(25, video.FindAttributes("rtpmap").Count());
        Assert.Equal("FID 2743567901 3391862337", video.FindAttribute("ssrc-group")!.Value);
    }

    [Fact]
    public void TryParse_KeepsFirefoxSessionLevelAttributesAtSessionLevel()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.FirefoxWhip);

        Assert.Equal("mozilla...THIS_IS_SDPARTA-128.0", offer.Origin.Username);
        Assert.StartsWith("sha-256 3D:B5", offer.FindAttribute("fingerprint")!.Value, StringComparison.Ordinal);
        Assert.All(offer.MediaDescriptions, media => Assert.False(media.HasAttribute("fingerprint")));
        Assert.Equal("2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level", offer.MediaDescriptions[0].FindAttributes("extmap").ElementAt(1).Value);
    }

    [Fact]
    public void TryParse_ReadsEveryOptionalLineType()
    {
        string sdp = string.Join("\r\n",
            "v=0",
            "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
            "s=Call to John Smith",
            "i=SDP Offer #1",
            "u=http://www.jdoe.example.com/home.html",
            "e=Jane Doe <jane@jdoe.example.com>",
            "p=+1 617 555-6011",
            "c=IN IP4 198.51.100.1",
            "b=AS:2000",
            "t=0 0",
            "r=604800 3600 0 90000",
            "t=3724394400 3724398000",
            "z=2882844526 -1h 2898848070 0",
            "k=prompt",
            "a=recvonly",
            "m=audio 49170/2 RTP/AVP 0",
            "i=voice",
            "c=IN IP4 198.51.100.2",
            "b=TIAS:64000",
            "k=prompt",
            "a=rtpmap:0 PCMU/8000",
            "m=video 51372 RTP/AVP 99",
            "c=IN IP6 2001:db8::2",
            "a=rtpmap:99 h263-1998/90000",
            "");

        Assert.True(SdpParser.TryParse(sdp, out SessionDescription? description, out string? error), error);

        Assert.Equal("SDP Offer #1", description.Information);
        Assert.Equal("http://www.jdoe.example.com/home.html", description.Uri);
        Assert.Equal(["Jane Doe <jane@jdoe.example.com>"], description.EmailAddresses);
        Assert.Equal(["+1 617 555-6011"], description.PhoneNumbers);
        Assert.Equal(new SdpConnection("IN", "IP4", "198.51.100.1"), description.Connection);
        Assert.Equal(new SdpBandwidth("AS", 2000), Assert.Single(description.Bandwidths));
        Assert.Equal(2, description.Timings.Count);
        Assert.Equal(["604800 3600 0 90000"], description.Timings[0].RepeatTimes);
        Assert.Empty(description.Timings[1].RepeatTimes);
        Assert.Equal(3724394400UL, description.Timings[1].Start);
        Assert.Equal("2882844526 -1h 2898848070 0", description.TimeZoneAdjustments);
        Assert.Equal(2, description.MediaDescriptions.Count);
        Assert.Equal(2, description.MediaDescriptions[0].PortCount);
        Assert.Equal("voice", description.MediaDescriptions[0].Information);
        Assert.Equal(new SdpBandwidth("TIAS", 64000), Assert.Single(description.MediaDescriptions[0].Bandwidths));
        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::2"), Assert.Single(description.MediaDescriptions[1].Connections));
    }

    [Fact]
    public void TryParse_AcceptsAMissingFinalLineEndAndTrailingEmptyLines()
    {
        string sdp = SdpFixtures.Read(SdpFixtures.GStreamerWhip);

        Assert.True(SdpParser.TryParse(sdp.TrimEnd('\r', '\n'), out _, out string? error), error);
        Assert.True(SdpParser.TryParse(sdp + "\r\n\r\n\n", out _, out error), error);
    }

    [Fact]
    public void TryParse_AcceptsAnSdpWithoutMedia()
    {
        Assert.True(SdpParser.TryParse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", out SessionDescription? description, out _));
        Assert.Empty(description.MediaDescriptions);
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        { "empty", "", "empty" },
        { "not SDP", "hello world\r\n", "line 1" },
        { "first line not v", "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\ns=-\r\nt=0 0\r\n", "first line must be v=0" },
        { "version 1", "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "v=0" },
        { "no origin", "v=0\r\ns=-\r\nt=0 0\r\n", "second line must be o=" },
        { "origin with five fields", "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n", "six fields" },
        { "origin with letters in session id", "v=0\r\no=- abc 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "digits" },
        { "origin with double space", "v=0\r\no=-  1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "six fields" },
        { "no session name", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n", "third line must be s=" },
        { "ends after origin", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", "ends before" },
        { "no timing", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n", "no t= line" },
        { "media before timing", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n", "before any 't='" },
        { "timing not digits", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 now\r\n", "t= needs" },
        { "unknown line type", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nx=1\r\n", "not an SDP line type" },
        { "uppercase line type", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nA=rtcp-mux\r\n", "<type>=<value>" },
        { "space before equals", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na =rtcp-mux\r\n", "<type>=<value>" },
        { "line without equals", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nrtcp-mux\r\n", "<type>=<value>" },
        { "attribute before timing", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=ice-lite\r\nt=0 0\r\n", "out of order" },
        { "second origin", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "third line must be s=" },
        { "second session name", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\ns=-\r\nt=0 0\r\n", "a second 's='" },
        { "repeat before timing", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nr=1 2 3\r\nt=0 0\r\n", "before any 't='" },
        { "timing inside media", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n", "not allowed in a media section" },
        { "connection after attribute in media", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=sendonly\r\nc=IN IP4 0.0.0.0\r\n", "out of order in the media section" },
        { "port too large", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", "port" },
        { "negative port", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio -9 RTP/AVP 0\r\n", "port" },
        { "port count zero", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9/0 RTP/AVP 0\r\n", "number of ports" },
        { "no formats", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP\r\n", "at least one format" },
        { "empty protocol part", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP//AVP 0\r\n", "protocol" },
        { "trailing space on m line", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 \r\n", "format" },
        { "empty attribute name", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=:x\r\n", "attribute name" },
        { "attribute name with space", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice lite\r\n", "attribute name" },
        { "control character", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=tool:x\u0000y\r\n", "control character" },
        { "bare carriage return", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=tool:x\ry\r\n", "control character" },
        { "bad bandwidth", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nb=AS:lots\r\nt=0 0\r\n", "b= needs" },
        { "bad connection", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n", "c= needs" },
        { "empty line in the middle", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n\r\ns=-\r\nt=0 0\r\n", "empty" },
        { "empty email", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\ne=\r\nt=0 0\r\n", "empty" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_RefusesMalformedStructureWithAReason(string description, string sdp, string expected)
    {
        Assert.False(SdpParser.TryParse(sdp, out SessionDescription? parsed, out string? error), description);
        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SaysWhichLineIsWrong()
    {
        string sdp = SdpFixtures.Read(SdpFixtures.ChromeWhip).Replace("m=video 9 ", "m=video nine ", StringComparison.Ordinal);
        int line = Array.FindIndex(sdp.Split("\r\n"), l => l.StartsWith("m=video", StringComparison.Ordinal)) + 1;

        Assert.False(SdpParser.TryParse(sdp, out _, out string? error));
        Assert.Equal($"SDP line {line}: the m= port is not a number from 0 to 65535.", error);
    }

    [Fact]
    public void TryParse_RefusesNull()
    {
        Assert.False(SdpParser.TryParse(null, out _, out string? error));
        Assert.Equal("The SDP is empty.", error);
    }
}
