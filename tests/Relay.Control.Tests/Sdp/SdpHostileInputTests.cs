using System.Text;
using Relay.Control.Sdp;
using Relay.Testing;

namespace Relay.Control.Tests.Sdp;

public class SdpHostileInputTests
{
    private const string Head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void TryParse_EveryTruncationAtALineBoundaryParsesOrIsRefusedWithAReason(string fixture)
    {
        string sdp = SdpFixtures.Read(fixture);
        for (int end = sdp.IndexOf('\n', StringComparison.Ordinal); end >= 0; end = sdp.IndexOf('\n', end + 1))
        {
            AssertParsesOrRefuses(sdp[..(end + 1)]);
            AssertParsesOrRefuses(sdp[..end]);
        }
    }

    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void TryParse_EveryTruncatedPrefixParsesOrIsRefusedWithAReason(string fixture)
    {
        foreach (byte[] prefix in HostileInput.Truncations(Encoding.UTF8.GetBytes(SdpFixtures.Read(fixture))))
        {
            AssertParsesOrRefuses(Encoding.UTF8.GetString(prefix));
        }
    }

    [Theory]
    [MemberData(nameof(SdpFixtures.AllNames), MemberType = typeof(SdpFixtures))]
    public void TryParse_SeededCorruptionsParseOrAreRefusedWithAReason(string fixture)
    {
        foreach ((int _, byte[] input) in HostileInput.Corruptions(Encoding.UTF8.GetBytes(SdpFixtures.Read(fixture))))
        {
            AssertParsesOrRefuses(Encoding.UTF8.GetString(input));
        }
    }

    [Fact]
    public void TryParse_RefusesAMegabyteLineBeforeReadingIt()
    {
        string sdp = Head + "a=x:" + new string('x', 1 << 20) + "\r\n";

        Assert.False(SdpParser.TryParse(sdp, out _, out string? error));
        Assert.Equal($"The SDP is {sdp.Length} characters long; the limit is {SdpParser.MaxLength}.", error);
    }

    [Fact]
    public void TryParse_RefusesALineLongerThanTheLineLimit()
    {
        string sdp = Head + "a=x:" + new string('x', SdpParser.MaxLineLength) + "\r\n";

        Assert.False(SdpParser.TryParse(sdp, out _, out string? error));
        Assert.Equal($"SDP line 5: the line is longer than {SdpParser.MaxLineLength} characters.", error);
    }

    [Fact]
    public void TryParse_RefusesTenThousandMediaSections()
    {
        var sdp = new StringBuilder(Head);
        for (int i = 0; i < 10_000; i++)
        {
            sdp.Append("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
        }

        Assert.False(SdpParser.TryParse(sdp.ToString(), out _, out string? error));
        Assert.Contains("the limit is", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RefusesMoreMediaSectionsThanTheLimitEvenWhenShort()
    {
        var sdp = new StringBuilder(Head);
        for (int i = 0; i <= SdpParser.MaxMediaDescriptions; i++)
        {
            sdp.Append("m=a 0 b c\n");
        }

        Assert.False(SdpParser.TryParse(sdp.ToString(), out _, out string? error));
        Assert.Contains($"more than {SdpParser.MaxMediaDescriptions} media sections", error, StringComparison.Ordinal);

        string atLimit = Head + string.Concat(Enumerable.Repeat("m=a 0 b c\n", SdpParser.MaxMediaDescriptions));
        Assert.True(SdpParser.TryParse(atLimit, out SessionDescription? description, out error), error);
        Assert.Equal(SdpParser.MaxMediaDescriptions, description.MediaDescriptions.Count);
    }

    [Fact]
    public void TryParse_RefusesMoreLinesThanTheLimit()
    {
        string sdp = Head + string.Concat(Enumerable.Repeat("a=x\n", SdpParser.MaxLines));

        Assert.False(SdpParser.TryParse(sdp, out _, out string? error));
        Assert.Equal($"The SDP has more than {SdpParser.MaxLines} lines.", error);
    }

    [Fact]
    public void TryParse_RefusesMoreFormatsThanRtpHasPayloadTypes()
    {
        string formats = string.Join(' ', Enumerable.Range(0, SdpParser.MaxFormats + 1));

        Assert.False(SdpParser.TryParse(Head + "m=video 9 UDP/TLS/RTP/SAVPF " + formats + "\r\n", out _, out string? error));
        Assert.Contains($"more than {SdpParser.MaxFormats} formats", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AcceptsADescriptionOfExactlyTheMaximumLength()
    {
        string filler = "a=x:" + new string('x', 1000) + "\r\n";
        var sdp = new StringBuilder(Head);
        while (sdp.Length + filler.Length <= SdpParser.MaxLength)
        {
            sdp.Append(filler);
        }

        int rest = SdpParser.MaxLength - sdp.Length;
        sdp.Append("a=y:").Append('y', rest - 6).Append("\r\n");
        Assert.Equal(SdpParser.MaxLength, sdp.Length);

        Assert.True(SdpParser.TryParse(sdp.ToString(), out _, out string? error), error);
        Assert.False(SdpParser.TryParse(sdp.Append('z').ToString(), out _, out _));
    }

    [Fact]
    public void TryParse_KeepsNonAsciiTextAndRefusesItInTokens()
    {
        Assert.True(SdpParser.TryParse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=Caméra \uFFFD\r\nt=0 0\r\na=tool:ünïcode\r\n", out SessionDescription? description, out _));
        Assert.Equal("Caméra \uFFFD", description.SessionName);
        Assert.False(SdpParser.TryParse(Head + "a=tööl:x\r\n", out _, out _));
        Assert.False(SdpParser.TryParse(Head + "m=vidéo 9 RTP/AVP 0\r\n", out _, out _));
    }

    private static void AssertParsesOrRefuses(string sdp)
    {
        bool parsed = SdpParser.TryParse(sdp, out SessionDescription? description, out string? error);
        if (parsed)
        {
            Assert.NotNull(description);
            Assert.True(description.MediaDescriptions.Count <= SdpParser.MaxMediaDescriptions);
        }
        else
        {
            Assert.Null(description);
            Assert.False(string.IsNullOrWhiteSpace(error));
        }
    }
}
