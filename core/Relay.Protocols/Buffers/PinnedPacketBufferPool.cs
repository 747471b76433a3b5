using System.Runtime.CompilerServices;

namespace Relay.Protocols.Buffers;

/// <summary>
/// Fixed-size packet buffers carved from pinned slabs on the pinned object heap, so sockets can
/// receive into them without pinning per call and the GC never moves them. Leases are created once
/// per block and reused: renting and returning allocate nothing once the pool has grown to the
/// working set (compare Kestrel's <c>PinnedBlockMemoryPool</c>).
/// </summary>
public sealed class PinnedPacketBufferPool : PacketBufferPool
{
    /// <summary>Default block: the largest UDP payload a 1500-byte Ethernet MTU carries, rounded up.</summary>
    public const int DefaultBlockSize = 1536;

    private readonly int _blockSize;
    private readonly int _blocksPerSlab;
    private readonly int _maxBlocks;
    private readonly Lock _lock = new();
    private PacketLease[] _free;
    private int _freeCount;
    private int _totalBlocks;

    /// <param name="blockSize">Bytes per packet buffer.</param>
    /// <param name="blocksPerSlab">Blocks allocated together when the pool grows.</param>
    /// <param name="maxBlocks">Upper bound on blocks; renting beyond it throws, since it means a leak or overload.</param>
    public PinnedPacketBufferPool(int blockSize = DefaultBlockSize, int blocksPerSlab = 256, int maxBlocks = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerSlab, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlocks, blocksPerSlab);
        _blockSize = blockSize;
        _blocksPerSlab = blocksPerSlab;
        _maxBlocks = maxBlocks;
        _free = new PacketLease[blocksPerSlab];
    }

    /// <inheritdoc />
    public override int BlockSize => _blockSize;

    /// <summary>Blocks the pool has allocated, in use or free.</summary>
    public int TotalBlocks => Volatile.Read(ref _totalBlocks);

    /// <summary>Blocks waiting in the pool.</summary>
    public int FreeBlocks
    {
        get
        {
            lock (_lock)
            {
                return _freeCount;
            }
        }
    }

    /// <inheritdoc />
    public override PacketLease Rent()
    {
        PacketLease? lease = null;
        lock (_lock)
        {
            if (_freeCount > 0)
            {
                lease = _free[--_freeCount];
                _free[_freeCount] = null!;
            }
        }

        return Activate(lease ?? RentFromNewSlab());
    }

    /// <inheritdoc />
    protected internal override void Return(PacketLease lease)
    {
        lock (_lock)
        {
            _free[_freeCount++] = lease;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private PacketLease RentFromNewSlab()
    {
        lock (_lock)
        {
            if (_totalBlocks + _blocksPerSlab > _maxBlocks)
            {
                ThrowHelper.ThrowInvalidOperation(
                    $"The packet buffer pool reached its limit of {_maxBlocks} blocks: leases are leaking or the relay is overloaded.");
            }

            byte[] slab = GC.AllocateUninitializedArray<byte>(_blockSize * _blocksPerSlab, pinned: true);
            int newTotal = _totalBlocks + _blocksPerSlab;
            if (_free.Length < newTotal)
            {
                Array.Resize(ref _free, Math.Max(newTotal, _free.Length * 2));
            }

            // Keep the first block for this caller; the rest go to the free list.
            for (int i = _blocksPerSlab - 1; i >= 1; i--)
            {
                _free[_freeCount++] = CreateLease(slab, i * _blockSize, _blockSize);
            }

            Volatile.Write(ref _totalBlocks, newTotal);
            return CreateLease(slab, 0, _blockSize);
        }
    }
}
