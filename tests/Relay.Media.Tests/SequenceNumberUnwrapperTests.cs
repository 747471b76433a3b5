namespace Relay.Media.Tests;

public class SequenceNumberUnwrapperTests
{
    [Fact]
    public void FirstValue_UnwrapsToItself()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        Assert.False(unwrapper.HasValue);
        Assert.Equal(40000, unwrapper.Unwrap(40000));
        Assert.True(unwrapper.HasValue);
        Assert.Equal(40000, unwrapper.Last);
    }

    [Fact]
    public void ForwardAcrossTheWrap_AddsACycle()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        unwrapper.Unwrap(65534);
        Assert.Equal(65535, unwrapper.Unwrap(65535));
        Assert.Equal(65536, unwrapper.Unwrap(0));
        Assert.Equal(65537, unwrapper.Unwrap(1));
    }

    [Fact]
    public void LatePacketJustAfterTheWrap_LandsInThePreviousCycle()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        unwrapper.Unwrap(65535);
        unwrapper.Unwrap(2);
        Assert.Equal(65535 + 1, unwrapper.Unwrap(0));
        Assert.Equal(65535, unwrapper.Unwrap(65535));
        Assert.Equal(65536 + 3, unwrapper.Unwrap(3));
    }

    [Fact]
    public void ValuesOlderThanTheFirst_UnwrapBelowZero()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        unwrapper.Unwrap(1);
        Assert.Equal(-1, unwrapper.Unwrap(65535));
        Assert.Equal(-2, unwrapper.Unwrap(65534));
        Assert.Equal(2, unwrapper.Unwrap(2));
    }

    [Fact]
    public void CountingThroughManyCycles_StaysExact()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        long expected = 30000;
        unwrapper.Unwrap(30000);
        for (int i = 0; i < 5 * 65536; i += 1000)
        {
            expected += 1000;
            Assert.Equal(expected, unwrapper.Unwrap((ushort)expected));
        }
    }

    [Fact]
    public void PeekUnwrap_DoesNotMoveTheReference()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        unwrapper.Unwrap(65535);
        Assert.Equal(65536 + 10, unwrapper.PeekUnwrap(10));
        Assert.Equal(65535, unwrapper.Last);
        Assert.Equal(65535 - 5, unwrapper.PeekUnwrap(65530));
    }

    [Fact]
    public void Reset_ForgetsTheReference()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        unwrapper.Unwrap(65535);
        unwrapper.Unwrap(5);
        unwrapper.Reset();
        Assert.False(unwrapper.HasValue);
        Assert.Equal(7, unwrapper.Unwrap(7));
    }
}
