using Relay.Protocols.Buffers;
using Relay.Testing.Buffers;

namespace Relay.Protocols.Tests.Buffers;

public class LeakCheckingPacketBufferPoolTests
{
    [Fact]
    public void Dispose_FailsOnLeakedLease()
    {
        var pool = new LeakCheckingPacketBufferPool();
        _ = pool.Rent();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(pool.Dispose);
        Assert.Contains("never released", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_FailsOnWriteAfterReturn()
    {
        var pool = new LeakCheckingPacketBufferPool(blockSize: 64);
        PacketLease lease = pool.Rent();
        Span<byte> kept = lease.Buffer;
        lease.Release();
        kept[3] = 1;

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(pool.Dispose);
        Assert.Contains("after it was returned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AccessAfterReturn_Throws()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        PacketLease lease = pool.Rent();
        lease.Release();

        Assert.Throws<ObjectDisposedException>(() => lease.Memory);
    }

    [Fact]
    public void Dispose_PassesWhenEveryLeaseIsReleased()
    {
        var pool = new LeakCheckingPacketBufferPool();
        PacketLease a = pool.Rent();
        PacketLease b = pool.Rent().Retain();
        a.Release();
        b.Release();
        b.Release();

        pool.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }
}
