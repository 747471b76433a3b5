namespace Relay.Protocols.Buffers;

/// <summary>
/// Hands out <see cref="PacketLease"/>s for the packet path. The production pool is
/// <see cref="PinnedPacketBufferPool"/>; tests use a pool that fails on leaks and uses after return.
/// </summary>
public abstract class PacketBufferPool
{
    /// <summary>Bytes each lease can hold; enough for any datagram the relay accepts.</summary>
    public abstract int BlockSize { get; }

    /// <summary>Rents a lease with a reference count of one and a length of zero.</summary>
    public abstract PacketLease Rent();

    /// <summary>Called by <see cref="PacketLease.Release"/> when the last holder lets go.</summary>
    protected internal abstract void Return(PacketLease lease);

    /// <summary>Creates a lease over a block this pool owns.</summary>
    protected PacketLease CreateLease(byte[] array, int offset, int capacity)
    {
        ArgumentNullException.ThrowIfNull(array);
        return new PacketLease(this, array, offset, capacity);
    }

    /// <summary>Marks a lease as handed out; pools call this from <see cref="Rent"/>.</summary>
    protected static PacketLease Activate(PacketLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lease.Activate();
        return lease;
    }

    /// <summary>The block behind a lease, for pools that check returned buffers.</summary>
    protected static ArraySegment<byte> GetBlock(PacketLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return lease.RawSegment;
    }
}
