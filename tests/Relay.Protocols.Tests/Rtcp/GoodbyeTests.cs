using System.Text;
using Relay.Protocols.Rtcp;

namespace Relay.Protocols.Tests.Rtcp;

public class GoodbyeTests
{
    [Fact]
    public void TryRead_DecodesSourcesAndReason()
    {
        Assert.True(Goodbye.TryRead(RtcpSamples.Single(RtcpSamples.ByeWithReason), out Goodbye bye));

        Assert.Equal(2, bye.SourceCount);
        Assert.Equal(0x11111111u, bye.GetSsrc(0));
        Assert.Equal(0x22222222u, bye.GetSsrc(1));
        Assert.Equal("bye", Encoding.ASCII.GetString(bye.Reason));
    }

    [Fact]
    public void Writer_ReproducesTheRfcLayout()
    {
        byte[] written = RtcpSamples.Serialize(new GoodbyeWriter([0x11111111, 0x22222222], RtcpSamples.Ascii("bye")));

        Assert.Equal(RtcpSamples.ByeWithReason, written);
    }

    [Fact]
    public void Writer_PadsTheReasonWithNulls()
    {
        byte[] written = RtcpSamples.Serialize(new GoodbyeWriter([7], RtcpSamples.Ascii("gone")));

        Assert.Equal(RtcpSamples.Hex("81 cb 0003", "00000007", "04 676f6e", "65 000000"), written);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("camera closed")]
    public void RoundTrip_KeepsSourcesAndReason(string reason)
    {
        uint[] ssrcs = [1, 2, 3, uint.MaxValue];

        byte[] written = RtcpSamples.Serialize(new GoodbyeWriter(ssrcs, Encoding.UTF8.GetBytes(reason)));

        Assert.True(Goodbye.TryRead(RtcpSamples.Single(written), out Goodbye bye));
        Assert.Equal(ssrcs, Enumerable.Range(0, bye.SourceCount).Select(i => ReadSsrc(written, i)).ToArray());
        Assert.Equal(reason, Encoding.UTF8.GetString(bye.Reason));

        static uint ReadSsrc(byte[] written, int index)
        {
            Goodbye.TryRead(RtcpSamples.Single(written), out Goodbye bye);
            return bye.GetSsrc(index);
        }
    }

    [Fact]
    public void TryRead_AcceptsReasonPaddedWithThePBit()
    {
        // Reason "ab" ends one octet short of the word; the P bit supplies that octet as its count.
        byte[] packet = RtcpSamples.Hex("a1 cb 0002", "00000007", "02 6162 01");

        Assert.True(Goodbye.TryRead(RtcpSamples.Single(packet), out Goodbye bye));
        Assert.Equal("ab", Encoding.ASCII.GetString(bye.Reason));
    }

    [Theory]
    [InlineData("81 cb 0002", "00000007", "09 6162 00")]
    [InlineData("81 cb 0003", "00000007", "02 6162 00", "00000000")]
    public void TryRead_RejectsReasonThatDisagreesWithTheLength(params string[] hex)
    {
        Assert.False(Goodbye.TryRead(RtcpSamples.Single(RtcpSamples.Hex(hex)), out _));
    }
}
