using System.Buffers;
using System.Collections.Concurrent;

namespace Relay.Recording.Segments;

/// <summary>
/// The 64 KiB blocks the recordings' pipes append into, shared by every recording of the node and
/// kept for reuse: <see cref="MemoryPool{T}.Shared"/> keeps only a few arrays per core, so a queue
/// that deepens for a moment (a slow disk, many recordings) would otherwise allocate new ones and
/// leave them to the GC. Up to <see cref="MaxRetainedBlocks"/> returned blocks are kept.
/// </summary>
internal sealed class RecordingBufferPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    public const int MaxRetainedBlocks = 1024;

    private readonly ConcurrentQueue<Block> _free = new();

    public static new RecordingBufferPool Shared { get; } = new();

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(minBufferSize), $"Blocks are {BlockSize} bytes.");
        }

        if (!_free.TryDequeue(out Block? block))
        {
            block = new Block(this);
        }

        block.Rented = true;
        return block;
    }

    protected override void Dispose(bool disposing)
    {
    }

    private void Return(Block block)
    {
        if (_free.Count < MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
    }

    private sealed class Block(RecordingBufferPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented { get; set; }

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
