using Relay.Control.Sdp;

namespace Relay.Control.Tests.Sdp;

public class SdpWriterTests
{
    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void Write_ReproducesEveryFixtureLineForLine(string fixture)
    {
        string offer = SdpFixtures.Read(fixture);

        Assert.Equal(offer, SdpWriter.Write(SdpFixtures.Parse(fixture)));
    }

    [Fact]
    public void Write_UsesCrlfAndTheOrderOfRfc8866()
    {
        var description = new SessionDescription
        {
            Origin = new SdpOrigin("-", "42", "1", "IN", "IP4", "0.0.0.0"),
            Information = "info",
            Connection = new SdpConnection("IN", "IP4", "192.0.2.1"),
            Bandwidths = [new SdpBandwidth("AS", 128)],
            Timings = [new SdpTiming(0, 0) { RepeatTimes = ["7d 1h 0 25h"] }],
            Attributes = [new SdpAttributeLine("ice-lite"), new SdpAttributeLine("group", "BUNDLE 0")],
            MediaDescriptions =
            [
                new MediaDescription
                {
                    MediaType = "audio",
                    Port = 40000,
                    PortCount = 2,
                    Protocol = "UDP/TLS/RTP/SAVPF",
                    Formats = ["111"],
                    Information = "voice",
                    Connections = [new SdpConnection("IN", "IP6", "2001:db8::1")],
                    Bandwidths = [new SdpBandwidth("TIAS", 64000)],
                    Attributes = [new SdpAttributeLine("mid", "0"), new SdpAttributeLine("rtcp-mux")],
                },
            ],
        };

        string sdp = SdpWriter.Write(description);

        Assert.Equal(
            "v=0\r\no=- 42 1 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nc=IN IP4 192.0.2.1\r\nb=AS:128\r\nt=0 0\r\nr=7d 1h 0 25h\r\n" +
            "a=ice-lite\r\na=group:BUNDLE 0\r\n" +
            "m=audio 40000/2 UDP/TLS/RTP/SAVPF 111\r\ni=voice\r\nc=IN IP6 2001:db8::1\r\nb=TIAS:64000\r\na=mid:0\r\na=rtcp-mux\r\n",
            sdp);
        Assert.True(SdpParser.TryParse(sdp, out SessionDescription? parsed, out string? error), error);
        Assert.Equal(sdp, SdpWriter.Write(parsed));
    }

    [Theory]
    [InlineData("x\r\na=injected")]
    [InlineData("x\ny")]
    [InlineData("x\u0000")]
    public void Write_ThrowsRatherThanWriteAValueThatWouldInjectLines(string value)
    {
        var description = new SessionDescription
        {
            Origin = new SdpOrigin("-", "1", "1", "IN", "IP4", "0.0.0.0"),
            Attributes = [new SdpAttributeLine("tool", value)],
        };

        Assert.Throws<ArgumentException>(() => SdpWriter.Write(description));
    }

    [Fact]
    public void Write_WritesAnUnboundedTimingWhenNoneIsGiven()
    {
        var description = new SessionDescription
        {
            Origin = new SdpOrigin("-", "1", "1", "IN", "IP4", "0.0.0.0"),
            Timings = [],
        };

        Assert.Equal("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", SdpWriter.Write(description));
    }
}
