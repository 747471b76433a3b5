namespace Relay.Media.Tests;

public class NackGeneratorTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void InOrderStream_NeedsNoNacks()
    {
        var generator = new NackGenerator(_time);
        Span<ushort> nacks = stackalloc ushort[16];
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(NackReceiveResult.Advanced, generator.OnPacketReceived((ushort)(65000 + i), _time.Now));
        }

        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(0, generator.CollectNacks(_time.Now, nacks));
    }

    [Fact]
    public void Gap_IsRequestedAtOnceAcrossTheWrap()
    {
        var generator = new NackGenerator(_time);
        generator.OnPacketReceived(65533, _time.Now);
        Assert.Equal(NackReceiveResult.Advanced, generator.OnPacketReceived(2, _time.Now));

        Span<ushort> nacks = stackalloc ushort[16];
        int count = generator.CollectNacks(_time.Now, nacks);
        Assert.Equal([65534, 65535, 0, 1], nacks[..count].ToArray());
        Assert.Equal(4, generator.MissingCount);
    }

    [Fact]
    public void LateArrival_ClearsTheEntry()
    {
        var generator = new NackGenerator(_time);
        generator.OnPacketReceived(10, _time.Now);
        generator.OnPacketReceived(15, _time.Now);

        Assert.Equal(NackReceiveResult.Recovered, generator.OnPacketReceived(12, _time.Now));
        Assert.Equal(NackReceiveResult.Recovered, generator.OnPacketReceived(11, _time.Now));
        Assert.Equal(NackReceiveResult.Recovered, generator.OnPacketReceived(14, _time.Now));
        Assert.Equal(NackReceiveResult.Duplicate, generator.OnPacketReceived(12, _time.Now));
        Assert.Equal(NackReceiveResult.Duplicate, generator.OnPacketReceived(15, _time.Now));

        Span<ushort> nacks = stackalloc ushort[16];
        int count = generator.CollectNacks(_time.Now, nacks);
        Assert.Equal([13], nacks[..count].ToArray());
        Assert.Equal(3, generator.Recovered);
    }

    [Fact]
    public void Retries_AreSpacedByTheIntervalAndLimited()
    {
        var generator = new NackGenerator(_time, maxRetries: 3, retryInterval: TimeSpan.FromMilliseconds(50), maxAge: TimeSpan.FromSeconds(10));
        generator.OnPacketReceived(1, _time.Now);
        generator.OnPacketReceived(3, _time.Now);
        Span<ushort> nacks = stackalloc ushort[16];
        var requestTimes = new List<int>();
        for (int ms = 0; ms <= 400; ms += 10)
        {
            if (generator.CollectNacks(_time.Now + ManualTimeProvider.Milliseconds(ms), nacks) == 1)
            {
                Assert.Equal(2, nacks[0]);
                requestTimes.Add(ms);
            }
        }

        Assert.Equal([0, 50, 100], requestTimes);
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(1, generator.Abandoned);
    }

    [Fact]
    public void MissingPacketOlderThanMaxAge_IsGivenUp()
    {
        var generator = new NackGenerator(_time, retryInterval: TimeSpan.FromMilliseconds(100), maxAge: TimeSpan.FromMilliseconds(250));
        generator.OnPacketReceived(1, _time.Now);
        generator.OnPacketReceived(3, _time.Now);
        Span<ushort> nacks = stackalloc ushort[16];
        int requests = 0;
        for (int ms = 0; ms <= 1000; ms += 10)
        {
            requests += generator.CollectNacks(_time.Now + ManualTimeProvider.Milliseconds(ms), nacks);
        }

        Assert.Equal(3, requests);
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(1, generator.Abandoned);
    }

    [Fact]
    public void ReorderingDelay_HoldsTheFirstRequest()
    {
        var generator = new NackGenerator(_time, reorderingDelay: TimeSpan.FromMilliseconds(20));
        generator.OnPacketReceived(1, _time.Now);
        generator.OnPacketReceived(3, _time.Now);
        Span<ushort> nacks = stackalloc ushort[4];
        Assert.Equal(0, generator.CollectNacks(_time.Now + ManualTimeProvider.Milliseconds(10), nacks));
        Assert.Equal(1, generator.CollectNacks(_time.Now + ManualTimeProvider.Milliseconds(20), nacks));
    }

    [Fact]
    public void SmallDestination_BoundsOneCallAndTheRestFollow()
    {
        var generator = new NackGenerator(_time);
        generator.OnPacketReceived(0, _time.Now);
        generator.OnPacketReceived(11, _time.Now);
        Span<ushort> nacks = stackalloc ushort[4];

        Assert.Equal(4, generator.CollectNacks(_time.Now, nacks));
        Assert.Equal([1, 2, 3, 4], nacks.ToArray());
        Assert.Equal(4, generator.CollectNacks(_time.Now, nacks));
        Assert.Equal([5, 6, 7, 8], nacks.ToArray());
        Assert.Equal(2, generator.CollectNacks(_time.Now, nacks));
        Assert.Equal([9, 10], nacks[..2].ToArray());
        Assert.Equal(0, generator.CollectNacks(_time.Now, nacks));
    }

    [Fact]
    public void GapLargerThanTheList_IsNotRequestedAndAsksForAKeyframe()
    {
        var generator = new NackGenerator(_time, capacity: 16);
        generator.OnPacketReceived(100, _time.Now);
        generator.OnPacketReceived(102, _time.Now);

        Assert.Equal(NackReceiveResult.KeyframeNeeded, generator.OnPacketReceived(200, _time.Now));
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(1 + 97, generator.Abandoned);
        Assert.Equal(NackReceiveResult.Advanced, generator.OnPacketReceived(201, _time.Now));
    }

    [Fact]
    public void OverflowingTheList_DropsTheOldestAndAsksForAKeyframe()
    {
        var generator = new NackGenerator(_time, capacity: 8);
        generator.OnPacketReceived(0, _time.Now);
        Assert.Equal(NackReceiveResult.Advanced, generator.OnPacketReceived(6, _time.Now));
        Assert.Equal(NackReceiveResult.KeyframeNeeded, generator.OnPacketReceived(12, _time.Now));
        Assert.Equal(8, generator.MissingCount);

        Span<ushort> nacks = stackalloc ushort[16];
        int count = generator.CollectNacks(_time.Now, nacks);
        Assert.Equal([3, 4, 5, 7, 8, 9, 10, 11], nacks[..count].ToArray());
    }

    [Fact]
    public void ManyRecoveriesAndGaps_KeepTheListSortedAndCompact()
    {
        // Seeded: 3% loss with half the losses arriving late and no NACKs sent, so the list fills and
        // overflows again and again; it must match a model exactly all along.
        var generator = new NackGenerator(_time, capacity: 64, maxAge: TimeSpan.FromHours(1));
        var random = new Random(99);
        var missing = new SortedSet<long>();
        var unwrap = new SequenceNumberUnwrapper();
        var late = new Queue<ushort>();
        ushort next = 65000;
        int overflows = 0;
        generator.OnPacketReceived(next, _time.Now);
        unwrap.Unwrap(next);
        for (int i = 0; i < 50_000; i++)
        {
            next++;
            if (random.Next(100) < 3)
            {
                missing.Add(unwrap.Unwrap(next));
                if (random.Next(2) == 0)
                {
                    late.Enqueue(next);
                }

                continue;
            }

            // The list overflows exactly when the model holds more than it can.
            NackReceiveResult advanced = generator.OnPacketReceived(next, _time.Now);
            Assert.Equal(missing.Count > 64 ? NackReceiveResult.KeyframeNeeded : NackReceiveResult.Advanced, advanced);
            overflows += advanced == NackReceiveResult.KeyframeNeeded ? 1 : 0;
            unwrap.Unwrap(next);
            while (missing.Count > 64)
            {
                missing.Remove(missing.Min);
            }

            if (late.Count > 0 && random.Next(4) == 0)
            {
                ushort arrived = late.Dequeue();
                long extended = unwrap.PeekUnwrap(arrived);
                NackReceiveResult result = generator.OnPacketReceived(arrived, _time.Now);
                Assert.Equal(missing.Remove(extended) ? NackReceiveResult.Recovered : NackReceiveResult.Duplicate, result);
            }

            Assert.Equal(missing.Count, generator.MissingCount);
        }

        Span<ushort> nacks = stackalloc ushort[64];
        int count = generator.CollectNacks(_time.Now, nacks);
        Assert.Equal(missing.Select(s => (ushort)s).ToArray(), nacks[..count].ToArray());
        Assert.InRange(overflows, 100, 2000);
        Assert.InRange(generator.Recovered, 100, 1000);
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var generator = new NackGenerator(_time);
        generator.OnPacketReceived(1, _time.Now);
        generator.OnPacketReceived(5, _time.Now);
        generator.Reset();
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(NackReceiveResult.Advanced, generator.OnPacketReceived(40000, _time.Now));
        Assert.Equal(0, generator.MissingCount);
    }

    [Fact]
    public void RetryInterval_CanFollowTheRoundTripTime()
    {
        var generator = new NackGenerator(_time);
        generator.RetryInterval = TimeSpan.FromMilliseconds(300);
        generator.OnPacketReceived(1, _time.Now);
        generator.OnPacketReceived(3, _time.Now);
        Span<ushort> nacks = stackalloc ushort[4];
        Assert.Equal(1, generator.CollectNacks(_time.Now, nacks));
        Assert.Equal(0, generator.CollectNacks(_time.Now + ManualTimeProvider.Milliseconds(299), nacks));
        Assert.Equal(1, generator.CollectNacks(_time.Now + ManualTimeProvider.Milliseconds(300), nacks));
    }

    [Fact]
    public void BadConfiguration_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NackGenerator(_time, capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NackGenerator(_time, maxRetries: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NackGenerator(_time, maxAge: TimeSpan.FromSeconds(-1)));
    }
}
