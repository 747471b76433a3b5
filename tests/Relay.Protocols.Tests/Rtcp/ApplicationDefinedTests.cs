using System.Text;
using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class ApplicationDefinedTests
{
    [Fact]
    public void TryRead_DecodesSubtypeNameAndData()
    {
        Assert.True(ApplicationDefined.TryRead(RtcpSamples.Single(RtcpSamples.App), out ApplicationDefined app));

        Assert.Equal(5, app.Subtype);
        Assert.Equal(0x4baae1abu, app.Ssrc);
        Assert.Equal("TEST", Encoding.ASCII.GetString(app.Name));
        Assert.Equal(RtcpSamples.Hex("01020304"), app.Data.ToArray());
    }

    [Fact]
    public void Writer_ReproducesTheRfcLayout()
    {
        byte[] written = RtcpSamples.Serialize(new ApplicationDefinedWriter(5, 0x4baae1ab, RtcpSamples.Ascii("TEST"), RtcpSamples.Hex("01020304")));

        Assert.Equal(RtcpSamples.App, written);
    }

    [Fact]
    public void RoundTrip_WithoutData()
    {
        byte[] written = RtcpSamples.Serialize(new ApplicationDefinedWriter(31, 9, RtcpSamples.Ascii("ABCD")));

        Assert.Equal(12, written.Length);
        Assert.True(ApplicationDefined.TryRead(RtcpSamples.Single(written), out ApplicationDefined app));
        Assert.Equal(31, app.Subtype);
        Assert.Equal("ABCD", Encoding.ASCII.GetString(app.Name));
        Assert.True(app.Data.IsEmpty);
    }

    [Fact]
    public void Writer_RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApplicationDefinedWriter(32, 1, RtcpSamples.Ascii("ABCD")));
        Assert.Throws<ArgumentException>(() => new ApplicationDefinedWriter(0, 1, RtcpSamples.Ascii("ABC")));
        Assert.Throws<ArgumentException>(() => new ApplicationDefinedWriter(0, 1, [0x41, 0x42, 0x43, 0xC3]));
        Assert.Throws<ArgumentException>(() => new ApplicationDefinedWriter(0, 1, RtcpSamples.Ascii("ABCD"), [1, 2, 3]));
    }
}
