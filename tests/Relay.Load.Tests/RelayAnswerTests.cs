namespace Relay.Load.Tests;

public class RelayAnswerTests
{
    private const string Answer =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0\r\n" +
        "m=video 40000 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\n" +
        "a=ice-ufrag:relayufr\r\na=ice-pwd:relaypasswordrelaypassword\r\n" +
        "a=fingerprint:sha-256 AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB\r\n" +
        "a=setup:passive\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=ssrc:12345 cname:relay\r\n" +
        "a=candidate:1 1 udp 2130706431 10.0.0.5 40000 typ host\r\n" +
        "a=candidate:2 1 udp 2130706430 127.0.0.1 40000 typ host\r\n";

    [Fact]
    public void Parse_TakesTheLoopbackCandidateCredentialsAndSsrc()
    {
        RelayAnswer answer = RelayAnswer.Parse(Answer);

        Assert.Equal("127.0.0.1:40000", answer.Candidate.ToString());
        Assert.Equal("relayufr", answer.Ice.Ufrag);
        Assert.Equal(12345u, answer.Ssrc);
    }

    [Theory]
    [InlineData("a=candidate:2 1 udp 2130706430 127.0.0.1 40000 typ host\r\n", "loopback UDP candidate")]
    [InlineData("a=ice-pwd:relaypasswordrelaypassword\r\n", "a=ice-pwd")]
    [InlineData("a=fingerprint:sha-256 AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB\r\n", "fingerprint")]
    public void Parse_SaysWhatTheAnswerLacks(string removed, string named)
    {
        var error = Assert.Throws<InvalidDataException>(() => RelayAnswer.Parse(Answer.Replace(removed, "", StringComparison.Ordinal)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesTextThatIsNotSdp()
    {
        Assert.Throws<InvalidDataException>(() => RelayAnswer.Parse("HTTP/1.1 200 OK\r\n\r\n<html>"));
    }
}

public class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_AreTheBucketUpperBounds()
    {
        var histogram = new LatencyHistogram();
        for (int i = 1; i <= 100; i++)
        {
            histogram.Record(i * 100); // 0.1 ms .. 10 ms
        }

        Assert.Equal(5010, histogram.Percentile(0.50));
        Assert.Equal(9910, histogram.Percentile(0.99));
    }

    [Fact]
    public void Percentile_OfNothingIsNaN_AndHugeValuesLandInTheLastBucket()
    {
        var histogram = new LatencyHistogram();
        Assert.True(double.IsNaN(histogram.Percentile(0.5)));

        histogram.Record(1e9);
        histogram.Record(-5);

        Assert.Equal(2, histogram.Count);
        Assert.Equal(10, histogram.Percentile(0.5));
        Assert.Equal(100_010, histogram.Percentile(1));
    }
}
