using Relay.Protocols.Buffers;
using Relay.Testing.Buffers;

namespace Relay.Media.Tests;

public class PacketCacheTests
{
    [Fact]
    public void Add_RetainsTheLeaseAndTryGetFindsIt()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        PacketLease lease = TestRtp.Lease(pool, 1000);

        Assert.Equal(PacketCacheAddResult.Added, cache.Add(lease));
        Assert.Equal(2, lease.RefCount);
        lease.Release();

        Assert.True(cache.TryGet(1000, out PacketLease? found));
        Assert.Same(lease, found);
        Assert.Equal(1000, TestRtp.SequenceOf(found));
        Assert.Equal(1, cache.Count);
        Assert.Equal(1000, cache.HighestSequenceNumber);
    }

    [Fact]
    public void TryGet_MissesNumbersNeverAddedOrOutsideTheWindow()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        Assert.False(cache.TryGet(5, out _));
        AddAndRelease(cache, pool, 10);
        AddAndRelease(cache, pool, 12);

        Assert.False(cache.TryGet(11, out _));
        Assert.False(cache.TryGet(13, out _));
        Assert.False(cache.TryGet(2, out _));
        Assert.False(cache.TryGet(12 + 8, out _));
        Assert.True(cache.TryGet(10, out _));
    }

    [Fact]
    public void AddingPastTheCapacity_ReleasesTheEvictedPacket()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 4);
        var leases = new PacketLease[6];
        for (int i = 0; i < 6; i++)
        {
            leases[i] = TestRtp.Lease(pool, (ushort)(100 + i));
            cache.Add(leases[i]);
        }

        // 100 and 101 left the window [102, 105]; the cache let go of them, we still hold ours.
        Assert.Equal(1, leases[0].RefCount);
        Assert.Equal(1, leases[1].RefCount);
        Assert.Equal(2, leases[2].RefCount);
        Assert.False(cache.TryGet(100, out _));
        Assert.False(cache.TryGet(101, out _));
        Assert.True(cache.TryGet(102, out _));
        Assert.True(cache.TryGet(105, out _));
        Assert.Equal(4, cache.Count);

        foreach (PacketLease lease in leases)
        {
            lease.Release();
        }

        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void SequenceWrap_KeepsTheWindowAcrossZero()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 16);
        for (int i = 65530; i < 65536 + 6; i++)
        {
            AddAndRelease(cache, pool, (ushort)i);
        }

        for (int i = 65530; i < 65536 + 6; i++)
        {
            Assert.True(cache.TryGet((ushort)i, out PacketLease? lease));
            Assert.Equal((ushort)i, TestRtp.SequenceOf(lease));
        }

        Assert.Equal(12, cache.Count);
        Assert.Equal(5, cache.HighestSequenceNumber);
    }

    [Fact]
    public void Gaps_LeaveEmptySlotsThatLatePacketsFill()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 16);
        AddAndRelease(cache, pool, 1);
        AddAndRelease(cache, pool, 5);
        Assert.False(cache.TryGet(3, out _));

        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 3));
        Assert.True(cache.TryGet(3, out PacketLease? late));
        Assert.Equal(3, TestRtp.SequenceOf(late));
        Assert.Equal(5, cache.HighestSequenceNumber);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Duplicate_KeepsTheFirstCopyAndDoesNotRetainTheSecond()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 16);
        PacketLease first = TestRtp.Lease(pool, 7);
        PacketLease second = TestRtp.Lease(pool, 7);
        cache.Add(first);
        AddAndRelease(cache, pool, 8);

        Assert.Equal(PacketCacheAddResult.Duplicate, cache.Add(second));
        Assert.Equal(PacketCacheAddResult.Duplicate, cache.Add(second));
        Assert.Equal(1, second.RefCount);
        Assert.True(cache.TryGet(7, out PacketLease? held));
        Assert.Same(first, held);

        first.Release();
        second.Release();
    }

    [Fact]
    public void OutOfOrderArrival_EveryPacketIsFound()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 64);
        ushort[] order = [65500, 65502, 65501, 65505, 65503, 0, 65504, 65535, 2, 1];
        foreach (ushort sequenceNumber in order)
        {
            Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, sequenceNumber));
        }

        foreach (ushort sequenceNumber in order)
        {
            Assert.True(cache.TryGet(sequenceNumber, out PacketLease? lease));
            Assert.Equal(sequenceNumber, TestRtp.SequenceOf(lease));
        }

        Assert.Equal(2, cache.HighestSequenceNumber);
    }

    [Fact]
    public void PacketOlderThanTheWindow_IsRefusedAndNotRetained()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        AddAndRelease(cache, pool, 100);
        PacketLease old = TestRtp.Lease(pool, 92);

        Assert.Equal(PacketCacheAddResult.TooOld, cache.Add(old));
        Assert.Equal(1, old.RefCount);
        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 93));
        old.Release();
    }

    [Fact]
    public void ForwardJumpOfAtLeastTheCapacity_ClearsTheCache()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        PacketLease[] early = [TestRtp.Lease(pool, 10), TestRtp.Lease(pool, 11), TestRtp.Lease(pool, 12)];
        foreach (PacketLease lease in early)
        {
            cache.Add(lease);
        }

        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 20));
        Assert.Equal(1, cache.Count);
        Assert.All(early, lease => Assert.Equal(1, lease.RefCount));
        Assert.False(cache.TryGet(12, out _));
        Assert.True(cache.TryGet(20, out _));

        // The window restarts at the new packet: the slots between are free for late arrivals.
        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 14));
        Assert.Equal(PacketCacheAddResult.TooOld, AddAndRelease(cache, pool, 12));

        foreach (PacketLease lease in early)
        {
            lease.Release();
        }
    }

    [Fact]
    public void ForwardJumpJustShortOfTheCapacity_KeepsWhatStillFits()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        AddAndRelease(cache, pool, 10);
        AddAndRelease(cache, pool, 11);
        AddAndRelease(cache, pool, 18);

        Assert.False(cache.TryGet(10, out _));
        Assert.True(cache.TryGet(11, out _));
        Assert.True(cache.TryGet(18, out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void BackwardJumpConfirmedByTheNextPacket_ResynchronisesTheCache()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        AddAndRelease(cache, pool, 30000);
        AddAndRelease(cache, pool, 30001);

        Assert.Equal(PacketCacheAddResult.TooOld, AddAndRelease(cache, pool, 500));
        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 501));
        Assert.Equal(501, cache.HighestSequenceNumber);
        Assert.False(cache.TryGet(30001, out _));
        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 502));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void IsolatedOldPackets_DoNotResynchroniseTheCache()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache(capacity: 8);
        AddAndRelease(cache, pool, 30000);
        Assert.Equal(PacketCacheAddResult.TooOld, AddAndRelease(cache, pool, 500));
        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 30001));
        Assert.Equal(PacketCacheAddResult.TooOld, AddAndRelease(cache, pool, 501));
        Assert.Equal(30001, cache.HighestSequenceNumber);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void NonRtpBuffer_IsRefusedAndNotRetained()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var cache = new PacketCache();
        PacketLease lease = pool.Rent();
        lease.SetLength(5);

        Assert.Equal(PacketCacheAddResult.NotRtp, cache.Add(lease));
        Assert.Equal(1, lease.RefCount);
        lease.Release();
    }

    [Fact]
    public void Clear_ReleasesEverythingAndStartsAfresh()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        var cache = new PacketCache(capacity: 32);
        for (int i = 0; i < 20; i++)
        {
            AddAndRelease(cache, pool, (ushort)(i * 2));
        }

        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, pool.Outstanding);
        Assert.False(cache.TryGet(38, out _));

        Assert.Equal(PacketCacheAddResult.Added, AddAndRelease(cache, pool, 9));
        cache.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void LossyReorderedStreamThroughManyWraps_LeaksNothing()
    {
        // A seeded stream with 5% loss, reordering, duplicates and occasional jumps, checked against a
        // model of what the cache must hold, then torn down: the leak-checking pool must end clean.
        var pool = new LeakCheckingPacketBufferPool();
        const int capacity = 100;
        var cache = new PacketCache(capacity);
        var random = new Random(1234);
        ushort next = 60000;
        long highest = -1;
        var held = new Dictionary<long, ushort>();
        var unwrap = new SequenceNumberUnwrapper();

        for (int i = 0; i < 20_000; i++)
        {
            ushort sequenceNumber = next;
            int roll = random.Next(100);
            if (roll < 5)
            {
                next++;
                continue;
            }

            if (roll < 10)
            {
                sequenceNumber = (ushort)(next - random.Next(1, 40));
            }
            else if (roll == 10)
            {
                next += (ushort)random.Next(capacity, 3 * capacity);
                sequenceNumber = next++;
            }
            else
            {
                next++;
            }

            PacketCacheAddResult result = AddAndRelease(cache, pool, sequenceNumber);
            long extended = unwrap.Unwrap(sequenceNumber);
            if (highest < 0 || extended - highest >= capacity)
            {
                held.Clear();
                highest = extended;
            }
            else if (extended > highest)
            {
                highest = extended;
            }

            foreach (long stale in held.Keys.Where(k => k <= highest - capacity).ToList())
            {
                held.Remove(stale);
            }

            bool inWindow = extended > highest - capacity;
            Assert.Equal(inWindow ? (held.ContainsKey(extended) ? PacketCacheAddResult.Duplicate : PacketCacheAddResult.Added) : PacketCacheAddResult.TooOld, result);
            if (inWindow)
            {
                held[extended] = sequenceNumber;
            }

            Assert.Equal(held.Count, cache.Count);
            Assert.Equal(held.Count + 0, pool.Outstanding);
        }

        foreach (ushort sequenceNumber in held.Values)
        {
            Assert.True(cache.TryGet(sequenceNumber, out PacketLease? lease));
            Assert.Equal(sequenceNumber, TestRtp.SequenceOf(lease));
        }

        cache.Dispose();
        pool.Dispose();
    }

    [Fact]
    public void CapacityOutsideItsRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCache(PacketCache.MaxCapacity + 1));
        using var largest = new PacketCache(PacketCache.MaxCapacity);
        Assert.Equal(PacketCache.MaxCapacity, largest.Capacity);
    }

    private static PacketCacheAddResult AddAndRelease(PacketCache cache, PacketBufferPool pool, ushort sequenceNumber)
    {
        PacketLease lease = TestRtp.Lease(pool, sequenceNumber);
        PacketCacheAddResult result = cache.Add(lease);
        lease.Release();
        return result;
    }
}
