using Relay.Protocols.Rtp;
using static Relay.Protocols.Tests.Rtp.RtpTestPackets;

namespace Relay.Protocols.Tests.Rtp;

public class RtpExtensionEnumeratorTests
{
    [Fact]
    public void OneByte_SkipsPaddingBetweenAndAfterElements()
    {
        byte[] block = Hex("00 10aa 0000 21bbcc 000000");

        Assert.Equal([(1, "AA"), (2, "BBCC")], Walk(RtpExtensionProfile.OneByte, block, out bool malformed));
        Assert.False(malformed);
    }

    [Fact]
    public void OneByte_StopsAtIdFifteenAndIgnoresItsLength()
    {
        // RFC 8285 section 4.2: processing ends at id 15; what follows is not looked at, even if broken.
        byte[] block = Hex("10aa f0 21bbcc 2f");

        Assert.Equal([(1, "AA")], Walk(RtpExtensionProfile.OneByte, block, out bool malformed));
        Assert.False(malformed);
    }

    [Fact]
    public void OneByte_StopsAtAnElementRunningPastTheBlockAndKeepsEarlierOnes()
    {
        byte[] block = Hex("10aa 23bbcc");

        Assert.Equal([(1, "AA")], Walk(RtpExtensionProfile.OneByte, block, out bool malformed));
        Assert.True(malformed);
    }

    [Fact]
    public void OneByte_ReadsASixteenByteElementThatFillsTheBlock()
    {
        byte[] block = Hex("ef 000102030405060708090a0b0c0d0e0f");

        Assert.Equal([(14, "000102030405060708090A0B0C0D0E0F")], Walk(RtpExtensionProfile.OneByte, block, out bool malformed));
        Assert.False(malformed);
    }

    [Fact]
    public void OneByte_SkipsAnIdZeroByteAsOneByteWhateverItsLength()
    {
        // libwebrtc reads 0x0L as a single padding byte; reading it the same way keeps us in step with Chrome.
        byte[] block = Hex("05 10aa 00");

        Assert.Equal([(1, "AA")], Walk(RtpExtensionProfile.OneByte, block, out bool malformed));
        Assert.False(malformed);
    }

    [Fact]
    public void TwoByte_ReadsEmptyAndFullLengthElements()
    {
        byte[] full = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray();
        byte[] block = [0x07, 0x00, 0xFF, 0xFF, .. full];

        List<(int Id, string Data)> elements = Walk(RtpExtensionProfile.TwoByte, block, out bool malformed);

        Assert.Equal([(7, ""), (255, Convert.ToHexString(full))], elements);
        Assert.False(malformed);
    }

    [Fact]
    public void TwoByte_StopsWhenTheLengthByteIsMissing()
    {
        byte[] block = Hex("0101aa 00 02");

        Assert.Equal([(1, "AA")], Walk(RtpExtensionProfile.TwoByte, block, out bool malformed));
        Assert.True(malformed);
    }

    [Fact]
    public void TwoByte_StopsAtAnElementRunningPastTheBlock()
    {
        byte[] block = Hex("0101aa 0203bbcc");

        Assert.Equal([(1, "AA")], Walk(RtpExtensionProfile.TwoByte, block, out bool malformed));
        Assert.True(malformed);
    }

    [Fact]
    public void TwoByte_IdFifteenIsAnOrdinaryElement()
    {
        byte[] block = Hex("0f01aa 1001bb");

        Assert.Equal([(15, "AA"), (16, "BB")], Walk(RtpExtensionProfile.TwoByte, block, out _));
    }

    [Theory]
    [InlineData(0x1000)]
    [InlineData(0x1007)]
    [InlineData(0x100F)]
    public void TwoByte_IsRecognisedWhateverTheAppBits(int profile)
    {
        byte[] block = Hex("0501aa00");

        var elements = new RtpExtensionEnumerator((ushort)profile, block);

        Assert.Equal(RtpExtensionForm.TwoByte, elements.Form);
        Assert.Equal([(5, "AA")], Walk((ushort)profile, block, out _));
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0xBEDF)]
    [InlineData(0x1010)]
    [InlineData(0x2000)]
    public void OtherProfiles_YieldNoElementsAndAreNotMalformed(int profile)
    {
        byte[] block = Hex("10aa0000");

        Assert.Empty(Walk((ushort)profile, block, out bool malformed));
        Assert.False(malformed);
    }

    [Fact]
    public void MoveNext_KeepsReturningFalseAfterStopping()
    {
        byte[] block = Hex("10aa 25bbcc 10dd");
        var elements = new RtpExtensionEnumerator(RtpExtensionProfile.OneByte, block);

        Assert.True(elements.MoveNext());
        Assert.False(elements.MoveNext());
        Assert.False(elements.MoveNext());
        Assert.True(elements.IsMalformed);
    }

    [Fact]
    public void EveryOneByteHeaderWithEveryTailLength_StaysInsideTheBlock()
    {
        for (int header = 0; header <= 0xFF; header++)
        {
            for (int tail = 0; tail <= 17; tail++)
            {
                byte[] block = new byte[1 + tail];
                block[0] = (byte)header;
                block.AsSpan(1).Fill(0x11);
                AssertElementsInside(RtpExtensionProfile.OneByte, block);
            }
        }
    }

    [Fact]
    public void EveryTwoByteHeaderWithEveryTailLength_StaysInsideTheBlock()
    {
        int[] tails = [0, 1, 2, 16, 254, 255, 256];
        for (int id = 0; id <= 0xFF; id += 17)
        {
            for (int length = 0; length <= 0xFF; length++)
            {
                foreach (int tail in tails)
                {
                    byte[] block = new byte[2 + tail];
                    block[0] = (byte)id;
                    block[1] = (byte)length;
                    AssertElementsInside(RtpExtensionProfile.TwoByte, block);
                }
            }
        }

        AssertElementsInside(RtpExtensionProfile.TwoByte, [0x05]);
        AssertElementsInside(RtpExtensionProfile.TwoByte, []);
    }

    private static void AssertElementsInside(ushort profile, byte[] block)
    {
        var elements = new RtpExtensionEnumerator(profile, block);
        int count = 0;
        while (elements.MoveNext())
        {
            ReadOnlySpan<byte> data = elements.Current.Data;
            if (!data.IsEmpty)
            {
                Assert.True(block.AsSpan().Overlaps(data, out int offset));
                Assert.InRange(offset + data.Length, 1, block.Length);
            }

            Assert.InRange(++count, 1, block.Length);
        }
    }

    private static List<(int Id, string Data)> Walk(ushort profile, byte[] block, out bool malformed)
    {
        var result = new List<(int, string)>();
        var elements = new RtpExtensionEnumerator(profile, block);
        while (elements.MoveNext())
        {
            result.Add((elements.Current.Id, Convert.ToHexString(elements.Current.Data)));
        }

        malformed = elements.IsMalformed;
        return result;
    }
}
