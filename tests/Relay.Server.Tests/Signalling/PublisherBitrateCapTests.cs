using Relay.Control.Sdp;
using Relay.Server.Signalling;

namespace Relay.Server.Tests.Signalling;

public sealed class PublisherBitrateCapTests
{
    private const string Answer =
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtpmap:111 opus/48000/2\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:9000\r\na=mid:1\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n";

    [Fact]
    public void TheVideoSectionGetsTheCapAsASAndTIAS_AfterItsConnectionLine_AndAudioNone()
    {
        string capped = PublisherBitrateCap.Apply(Answer, 1_500_000);

        Assert.True(SdpParser.TryParse(capped, out SessionDescription? description, out string? error), error);
        MediaDescription audio = description.MediaDescriptions[0];
        MediaDescription video = description.MediaDescriptions[1];
        Assert.Empty(audio.Bandwidths);
        Assert.Equal([new SdpBandwidth("AS", 1500), new SdpBandwidth("TIAS", 1_500_000)], video.Bandwidths);
        Assert.Contains("c=IN IP4 0.0.0.0\r\nb=AS:1500\r\nb=TIAS:1500000\r\na=mid:1", capped, StringComparison.Ordinal);
        Assert.EndsWith("a=rtpmap:96 VP8/90000\r\n", capped, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCapLeavesTheAnswerAsItIs()
    {
        Assert.Same(Answer, PublisherBitrateCap.Apply(Answer, 0));
    }

    [Fact]
    public void ARejectedVideoSectionIsNotCapped()
    {
        string rejected = Answer.Replace("m=video 9 ", "m=video 0 ", StringComparison.Ordinal);

        Assert.DoesNotContain("TIAS", PublisherBitrateCap.Apply(rejected, 1_500_000), StringComparison.Ordinal);
    }
}
