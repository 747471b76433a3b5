namespace Relay.Media.Tests;

public class RtpArithmeticTests
{
    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(0, 1, false)]
    [InlineData(0, 65535, true)]
    [InlineData(65535, 0, false)]
    [InlineData(5, 65530, true)]
    [InlineData(100, 100, false)]
    [InlineData(0x7FFF, 0, true)]
    [InlineData(0, 0x7FFF, false)]
    [InlineData(0x8001, 0, false)]
    [InlineData(0, 0x8001, true)]
    public void IsNewerSequenceNumber_ComparesTheShortWayRound(int value, int reference, bool expected)
    {
        Assert.Equal(expected, RtpArithmetic.IsNewerSequenceNumber((ushort)value, (ushort)reference));
    }

    [Fact]
    public void IsNewerSequenceNumber_AtExactlyHalfTheSpace_PicksOneDirectionOnly()
    {
        for (int a = 0; a < 65536; a += 97)
        {
            ushort x = (ushort)a;
            ushort y = (ushort)(a + 0x8000);
            Assert.NotEqual(RtpArithmetic.IsNewerSequenceNumber(x, y), RtpArithmetic.IsNewerSequenceNumber(y, x));
            Assert.Equal(y > x, RtpArithmetic.IsNewerSequenceNumber(y, x));
        }
    }

    [Fact]
    public void SequenceNumberDistance_AgreesWithIsNewerForEveryDistance()
    {
        ushort from = 65000;
        for (int step = 0; step < 65536; step++)
        {
            ushort to = (ushort)(from + step);
            int distance = RtpArithmetic.SequenceNumberDistance(from, to);
            Assert.InRange(distance, -32768, 32768);
            Assert.Equal(to, (ushort)(from + distance));
            Assert.Equal(RtpArithmetic.IsNewerSequenceNumber(to, from), distance > 0);
        }
    }

    [Theory]
    [InlineData(65535, 2, 3)]
    [InlineData(2, 65535, -3)]
    [InlineData(10, 10, 0)]
    [InlineData(0, 32767, 32767)]
    [InlineData(0, 32769, -32767)]
    public void SequenceNumberDistance_CountsAcrossTheWrap(int from, int to, int expected)
    {
        Assert.Equal(expected, RtpArithmetic.SequenceNumberDistance((ushort)from, (ushort)to));
    }

    [Theory]
    [InlineData(65535, 1, 1)]
    [InlineData(1, 65535, 1)]
    [InlineData(3, 7, 7)]
    public void LatestSequenceNumber_PicksTheNewer(int a, int b, int expected)
    {
        Assert.Equal((ushort)expected, RtpArithmetic.LatestSequenceNumber((ushort)a, (ushort)b));
    }

    [Theory]
    [InlineData(3000u, 0u, true)]
    [InlineData(0u, 3000u, false)]
    [InlineData(1000u, 4294966296u, true)]
    [InlineData(4294966296u, 1000u, false)]
    [InlineData(0x7FFFFFFFu, 0u, true)]
    [InlineData(0x80000001u, 0u, false)]
    [InlineData(42u, 42u, false)]
    public void IsNewerTimestamp_ComparesTheShortWayRound(uint value, uint reference, bool expected)
    {
        Assert.Equal(expected, RtpArithmetic.IsNewerTimestamp(value, reference));
    }

    [Fact]
    public void IsNewerTimestamp_AtExactlyHalfTheSpace_PicksOneDirectionOnly()
    {
        uint x = 12345;
        uint y = x + 0x8000_0000u;
        Assert.True(RtpArithmetic.IsNewerTimestamp(y, x));
        Assert.False(RtpArithmetic.IsNewerTimestamp(x, y));
    }

    [Theory]
    [InlineData(4294964296u, 3000u, 6000L)]
    [InlineData(3000u, 4294964296u, -6000L)]
    [InlineData(0u, 0x7FFFFFFFu, 0x7FFFFFFFL)]
    [InlineData(0u, 0x80000001u, -0x7FFFFFFFL)]
    public void TimestampDistance_CountsAcrossTheWrap(uint from, uint to, long expected)
    {
        Assert.Equal(expected, RtpArithmetic.TimestampDistance(from, to));
    }
}
