using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Relay.Transport.Udp;

/// <summary>
/// One thread's queue of datagrams for one <see cref="UdpMediaSocket"/>, sent together by one
/// sendmmsg(2) when the thread's <see cref="UdpSendBatchScope"/> ends or the queue is full. Made once
/// per thread on its first batch; its memory (datagram slots, mmsghdr, iovec and sockaddr arrays) is
/// pinned on the pinned object heap and reused, so queueing and sending allocate nothing.
/// </summary>
/// <remarks>
/// A datagram is copied into a slot when queued: the fan-out writes each viewer's packet into one
/// reused buffer, so the batch must keep its own copy (1,200 bytes cost ~50 ns to copy, a loopback
/// sendto ~4 µs on this machine: bench/RESULTS.md). Datagrams leave in the order they were queued.
/// </remarks>
internal sealed unsafe class UdpSendBatch
{
    /// <summary>Datagrams one sendmmsg carries at most; a fan-out to more viewers takes several calls.</summary>
    public const int Capacity = 64;

    /// <summary>Bytes per slot; larger datagrams (none on a 1500-byte MTU) are sent alone.</summary>
    public const int SlotSize = 2048;

    [ThreadStatic]
    private static UdpSendBatch? s_current;

    private readonly byte[] _slots = GC.AllocateUninitializedArray<byte>(Capacity * SlotSize, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * LinuxSocketCalls.AddressStride, pinned: true);
    private readonly LinuxSocketCalls.IoVec[] _iov = GC.AllocateArray<LinuxSocketCalls.IoVec>(Capacity, pinned: true);
    private readonly LinuxSocketCalls.MMsgHdr[] _headers = GC.AllocateArray<LinuxSocketCalls.MMsgHdr>(Capacity, pinned: true);
    private UdpMediaSocket? _socket;
    private int _count;

    private UdpSendBatch()
    {
        byte* slots = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_slots));
        byte* names = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_names));
        LinuxSocketCalls.IoVec* iov = (LinuxSocketCalls.IoVec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_iov));
        for (int i = 0; i < Capacity; i++)
        {
            _iov[i].Base = (nint)(slots + (i * SlotSize));
            _headers[i].Header.Iov = (nint)(iov + i);
            _headers[i].Header.IovLength = 1;
            _headers[i].Header.Name = (nint)(names + (i * LinuxSocketCalls.AddressStride));
        }
    }

    /// <summary>True while a scope is open on this thread.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>This thread's batch if a scope is open on it, else null.</summary>
    public static UdpSendBatch? OpenOnThisThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_current is { IsOpen: true } batch ? batch : null;
    }

    /// <summary>Opens this thread's batch; null if one is open already (the outer scope sends).</summary>
    public static UdpSendBatch? Open()
    {
        UdpSendBatch batch = s_current ??= new UdpSendBatch();
        if (batch.IsOpen)
        {
            return null;
        }

        batch.IsOpen = true;
        return batch;
    }

    /// <summary>Sends what is queued and closes the batch.</summary>
    public void Close()
    {
        try
        {
            Flush();
        }
        finally
        {
            IsOpen = false;
        }
    }

    /// <summary>
    /// Queues <paramref name="datagram"/> for <paramref name="socket"/>, to the address already written
    /// into <paramref name="destination"/>. False if it does not fit a slot: what was queued has then
    /// been sent, and the caller sends this one alone.
    /// </summary>
    public bool TryQueue(UdpMediaSocket socket, ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        if (_socket != socket && _count > 0)
        {
            Flush();
        }

        if (datagram.Length > SlotSize || destination.Size > LinuxSocketCalls.AddressStride)
        {
            Flush();
            return false;
        }

        _socket = socket;
        int index = _count;
        datagram.CopyTo(_slots.AsSpan(index * SlotSize, SlotSize));
        destination.Buffer.Span.Slice(0, destination.Size).CopyTo(_names.AsSpan(index * LinuxSocketCalls.AddressStride, LinuxSocketCalls.AddressStride));
        _iov[index].Length = (nuint)datagram.Length;
        _headers[index].Header.NameLength = (uint)destination.Size;
        _count = index + 1;
        if (_count == Capacity)
        {
            Flush();
        }

        return true;
    }

    /// <summary>The datagram in slot <paramref name="index"/>, for a send that falls back to sendto.</summary>
    public ReadOnlySpan<byte> Datagram(int index) => _slots.AsSpan(index * SlotSize, (int)_iov[index].Length);

    /// <summary>The raw sockaddr of slot <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Address(int index) => _names.AsSpan(index * LinuxSocketCalls.AddressStride, (int)_headers[index].Header.NameLength);

    private void Flush()
    {
        int count = _count;
        UdpMediaSocket? socket = _socket;
        _count = 0;
        _socket = null;
        if (count > 0)
        {
            fixed (LinuxSocketCalls.MMsgHdr* headers = _headers)
            {
                socket!.SendQueued(this, headers, count);
            }
        }
    }
}
