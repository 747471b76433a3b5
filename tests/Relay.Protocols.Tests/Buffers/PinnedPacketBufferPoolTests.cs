using Relay.Protocols.Buffers;

namespace Relay.Protocols.Tests.Buffers;

public class PinnedPacketBufferPoolTests
{
    [Fact]
    public void Rent_ReturnsLeaseWithOneHolderAndNoData()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 256, blocksPerSlab: 4);
        PacketLease lease = pool.Rent();

        Assert.Equal(1, lease.RefCount);
        Assert.Equal(0, lease.Length);
        Assert.Equal(256, lease.Capacity);
        lease.Release();
    }

    [Fact]
    public void LastRelease_ReturnsBlockToPool()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 256, blocksPerSlab: 4);
        PacketLease lease = pool.Rent();
        Assert.Equal(3, pool.FreeBlocks);

        lease.Retain();
        lease.Release();
        Assert.Equal(3, pool.FreeBlocks);

        lease.Release();
        Assert.Equal(4, pool.FreeBlocks);
    }

    [Fact]
    public void Blocks_DoNotOverlap()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 128, blocksPerSlab: 8);
        var leases = Enumerable.Range(0, 20).Select(_ => pool.Rent()).ToList();
        for (int i = 0; i < leases.Count; i++)
        {
            leases[i].Buffer.Fill((byte)i);
        }

        for (int i = 0; i < leases.Count; i++)
        {
            Assert.True(leases[i].Buffer.IndexOfAnyExcept((byte)i) < 0, $"block {i} was overwritten by another lease");
        }

        leases.ForEach(l => l.Release());
        Assert.Equal(24, pool.TotalBlocks);
        Assert.Equal(24, pool.FreeBlocks);
    }

    [Fact]
    public void UseAfterReturn_Throws()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 128, blocksPerSlab: 2);
        PacketLease lease = pool.Rent();
        lease.Release();

        Assert.Throws<ObjectDisposedException>(() => lease.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => lease.Retain());
        Assert.Throws<ObjectDisposedException>(() => lease.Release());
    }

    [Fact]
    public void SetLength_RejectsMoreThanCapacity()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 128, blocksPerSlab: 2);
        PacketLease lease = pool.Rent();
        Assert.Throws<ArgumentOutOfRangeException>(() => lease.SetLength(129));
        lease.SetLength(128);
        Assert.Equal(128, lease.Span.Length);
        lease.Release();
    }

    [Fact]
    public void Rent_RefusesToGrowPastLimit()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 64, blocksPerSlab: 2, maxBlocks: 4);
        var leases = Enumerable.Range(0, 4).Select(_ => pool.Rent()).ToList();
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => pool.Rent());
        Assert.Contains("limit of 4 blocks", error.Message, StringComparison.Ordinal);
        leases.ForEach(l => l.Release());
    }

    [Fact]
    public void RentAndRelease_AllocateNothingOnceWarm()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 256, blocksPerSlab: 16);
        for (int i = 0; i < 16; i++)
        {
            Cycle(pool);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Cycle(pool);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Cycle(PinnedPacketBufferPool pool)
        {
            PacketLease lease = pool.Rent();
            lease.SetLength(100);
            lease.Retain();
            lease.Release();
            lease.Release();
        }
    }

    [Fact]
    public void ConcurrentRentAndRelease_KeepsEveryBlockAccountedFor()
    {
        var pool = new PinnedPacketBufferPool(blockSize: 64, blocksPerSlab: 32);
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                PacketLease lease = pool.Rent();
                lease.Retain();
                lease.Release();
                lease.Release();
            }
        });

        Assert.Equal(pool.TotalBlocks, pool.FreeBlocks);
    }
}
