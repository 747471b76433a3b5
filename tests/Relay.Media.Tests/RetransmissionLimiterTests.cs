namespace Relay.Media.Tests;

public class RetransmissionLimiterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void FirstRequest_IsAllowedAndRepeatsWithinTheWindowAreRefused()
    {
        var limiter = new RetransmissionLimiter(_time, TimeSpan.FromMilliseconds(100));
        long now = _time.Now;

        Assert.True(limiter.TryAcquire(500, now));
        for (int i = 0; i < 50; i++)
        {
            Assert.False(limiter.TryAcquire(500, now + ManualTimeProvider.Milliseconds(i * 2)));
        }

        Assert.Equal(50, limiter.Suppressed);
        Assert.True(limiter.TryAcquire(501, now));
    }

    [Fact]
    public void OnceTheWindowHasPassed_TheNumberMayBeSentAgain()
    {
        var limiter = new RetransmissionLimiter(_time, TimeSpan.FromMilliseconds(100));
        long start = _time.Now;
        Assert.True(limiter.TryAcquire(9, start));
        Assert.False(limiter.TryAcquire(9, start + ManualTimeProvider.Milliseconds(99.999)));
        Assert.True(limiter.TryAcquire(9, start + ManualTimeProvider.Milliseconds(100)));
        Assert.False(limiter.TryAcquire(9, start + ManualTimeProvider.Milliseconds(150)));
    }

    [Fact]
    public void SpammedNacks_CostOneRetransmissionPerWindow()
    {
        var limiter = new RetransmissionLimiter(_time, TimeSpan.FromMilliseconds(100));
        int sent = 0;
        // A viewer NACKs the same 20 packets every millisecond for one second.
        for (int ms = 0; ms < 1000; ms++)
        {
            long now = _time.Now + ManualTimeProvider.Milliseconds(ms);
            for (ushort sequenceNumber = 65530; sequenceNumber != 14; sequenceNumber++)
            {
                sent += limiter.TryAcquire(sequenceNumber, now) ? 1 : 0;
            }
        }

        Assert.Equal(20 * 10, sent);
    }

    [Fact]
    public void Window_FollowsTheRoundTripEstimate()
    {
        var limiter = new RetransmissionLimiter(_time);
        Assert.Equal(RetransmissionLimiter.DefaultWindow, limiter.Window);
        limiter.Window = TimeSpan.FromMilliseconds(300);
        long start = _time.Now;
        Assert.True(limiter.TryAcquire(1, start));
        Assert.False(limiter.TryAcquire(1, start + ManualTimeProvider.Milliseconds(200)));
        Assert.True(limiter.TryAcquire(1, start + ManualTimeProvider.Milliseconds(300)));
    }

    [Fact]
    public void NumbersAFullRingApart_DoNotShareARecord()
    {
        var limiter = new RetransmissionLimiter(_time, TimeSpan.FromSeconds(1), capacity: 16);
        long now = _time.Now;
        Assert.True(limiter.TryAcquire(3, now));
        Assert.True(limiter.TryAcquire(3 + 16, now));
        Assert.False(limiter.TryAcquire(3 + 16, now));
    }

    [Fact]
    public void Reset_ForgetsEverySend()
    {
        var limiter = new RetransmissionLimiter(_time);
        long now = _time.Now;
        Assert.True(limiter.TryAcquire(0, now));
        limiter.Reset();
        Assert.True(limiter.TryAcquire(0, now));
    }

    [Fact]
    public void BadConfiguration_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmissionLimiter(_time, capacity: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmissionLimiter(_time, capacity: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetransmissionLimiter(_time, TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentNullException>(() => new RetransmissionLimiter(null!));
    }
}
