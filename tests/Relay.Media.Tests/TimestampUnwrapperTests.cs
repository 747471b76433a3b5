namespace Relay.Media.Tests;

public class TimestampUnwrapperTests
{
    [Fact]
    public void ForwardAcrossTheWrap_AddsACycle()
    {
        var unwrapper = new TimestampUnwrapper();
        Assert.Equal(uint.MaxValue - 2999L, unwrapper.Unwrap(uint.MaxValue - 2999));
        Assert.Equal(0x1_0000_0000L + 1, unwrapper.Unwrap(1));
        Assert.Equal(0x1_0000_0000L + 3001, unwrapper.Unwrap(3001));
    }

    [Fact]
    public void EarlierTimestampJustAfterTheWrap_LandsInThePreviousCycle()
    {
        var unwrapper = new TimestampUnwrapper();
        unwrapper.Unwrap(100);
        Assert.Equal(-100, unwrapper.Unwrap(uint.MaxValue - 99));
        Assert.Equal(3100, unwrapper.Unwrap(3100));
    }

    [Fact]
    public void A90kHzClockRunningForDays_StaysExact()
    {
        var unwrapper = new TimestampUnwrapper();
        long expected = 0xFFFF_0000L;
        unwrapper.Unwrap((uint)expected);
        for (int frame = 0; frame < 200_000; frame++)
        {
            expected += 90000 * 60;
            Assert.Equal(expected, unwrapper.Unwrap((uint)expected));
        }
    }

    [Fact]
    public void PeekUnwrapAndReset_BehaveLikeTheSequenceUnwrapper()
    {
        var unwrapper = new TimestampUnwrapper();
        unwrapper.Unwrap(uint.MaxValue);
        Assert.Equal(0x1_0000_0000L + 9, unwrapper.PeekUnwrap(9));
        Assert.Equal(uint.MaxValue, unwrapper.Last);
        unwrapper.Reset();
        Assert.False(unwrapper.HasValue);
        Assert.Equal(9, unwrapper.Unwrap(9));
    }
}
