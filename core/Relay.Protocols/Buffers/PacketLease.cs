using System.Runtime.CompilerServices;

namespace Relay.Protocols.Buffers;

/// <summary>
/// One pooled packet buffer, shared by reference count. The receiver rents it with a count of one;
/// each extra holder (a subscriber's send queue, the recorder) calls <see cref="Retain"/> and later
/// <see cref="Release"/>. The last release gives the buffer back to its pool.
/// </summary>
/// <remarks>
/// Touching a lease whose count has reached zero throws: that is a use after return, a bug in the
/// caller. The check is one compare on the hot path and finds those bugs where they happen.
/// </remarks>
public sealed class PacketLease
{
    private readonly PacketBufferPool _pool;
    private readonly byte[] _array;
    private readonly int _offset;
    private readonly int _capacity;
    private int _length;
    private int _refCount;

    internal PacketLease(PacketBufferPool pool, byte[] array, int offset, int capacity)
    {
        _pool = pool;
        _array = array;
        _offset = offset;
        _capacity = capacity;
    }

    /// <summary>Bytes the buffer can hold.</summary>
    public int Capacity => _capacity;

    /// <summary>Bytes of packet data currently held, from the start of the buffer.</summary>
    public int Length => _length;

    /// <summary>Current holders; zero once returned to the pool.</summary>
    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>Arrival time of the packet, in <see cref="TimeProvider"/> timestamp ticks, set by the receiver.</summary>
    public long Timestamp { get; set; }

    /// <summary>The packet data: the first <see cref="Length"/> bytes.</summary>
    public Span<byte> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            EnsureLive();
            return new Span<byte>(_array, _offset, _length);
        }
    }

    /// <summary>The whole buffer, for receiving into or writing a packet before <see cref="SetLength"/>.</summary>
    public Span<byte> Buffer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            EnsureLive();
            return new Span<byte>(_array, _offset, _capacity);
        }
    }

    /// <summary>The whole buffer as memory, for socket and pipe APIs.</summary>
    public Memory<byte> BufferMemory
    {
        get
        {
            EnsureLive();
            return new Memory<byte>(_array, _offset, _capacity);
        }
    }

    /// <summary>The packet data as memory.</summary>
    public Memory<byte> Memory
    {
        get
        {
            EnsureLive();
            return new Memory<byte>(_array, _offset, _length);
        }
    }

    /// <summary>Sets how many bytes of the buffer hold the packet.</summary>
    public void SetLength(int length)
    {
        EnsureLive();
        if ((uint)length > (uint)_capacity)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(length));
        }

        _length = length;
    }

    /// <summary>Adds a holder. Returns this lease so a call can read <c>queue.Enqueue(lease.Retain())</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PacketLease Retain()
    {
        if (Interlocked.Increment(ref _refCount) <= 1)
        {
            Interlocked.Decrement(ref _refCount);
            ThrowUseAfterReturn();
        }

        return this;
    }

    /// <summary>Drops a holder; the last one returns the buffer to its pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release()
    {
        int count = Interlocked.Decrement(ref _refCount);
        if (count == 0)
        {
            _length = 0;
            Timestamp = 0;
            _pool.Return(this);
        }
        else if (count < 0)
        {
            Interlocked.Increment(ref _refCount);
            ThrowUseAfterReturn();
        }
    }

    /// <summary>Called by the pool as it hands the lease out.</summary>
    internal void Activate()
    {
        if (Interlocked.Exchange(ref _refCount, 1) != 0)
        {
            ThrowHelper.ThrowInvalidOperation("A packet lease was rented while still in use.");
        }
    }

    /// <summary>The backing array and offset, for pools that inspect returned buffers.</summary>
    internal ArraySegment<byte> RawSegment => new(_array, _offset, _capacity);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureLive()
    {
        if (Volatile.Read(ref _refCount) <= 0)
        {
            ThrowUseAfterReturn();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUseAfterReturn() =>
        ThrowHelper.ThrowObjectDisposed("PacketLease (used after it was returned to its pool)");
}
