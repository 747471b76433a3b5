using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;

namespace Relay.Transport.Udp;

/// <summary>
/// The one UDP socket every peer's ICE, DTLS and SRTP share (RFC 7983 demultiplexing happens in the
/// handler). One receive worker rents a pooled lease per datagram, receives into it and hands it to
/// an <see cref="IUdpDatagramHandler"/>; any thread may send.
/// </summary>
/// <remarks>
/// <para>
/// The receive worker is a dedicated thread blocked in
/// <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/> into a single reused
/// <see cref="SocketAddress"/>, so a datagram costs one system call, no hand-off between threads and
/// no allocation; disposing the socket wakes it. Sending uses the synchronous
/// <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>: a UDP send never waits
/// for the peer, only for room in the kernel's buffer, and it allocates nothing. Measured on loopback
/// with 1200-byte datagrams (bench/Relay.Bench/Transport/UdpSendBenchmarks.cs, short job, 2 cores):
/// 1.44 us for the synchronous send, 1.52 us for <see cref="TrySendAsync"/> completing synchronously,
/// both 0 B: the system call is the cost, so the packet path takes the simpler synchronous one.
/// </para>
/// <para>
/// With <see cref="UdpMediaSocketOptions.BatchedIo"/> on Linux the worker receives with recvmmsg(2)
/// instead, up to <see cref="UdpMediaSocketOptions.ReceiveBatchSize"/> datagrams a call, and opens a
/// <see cref="UdpSendBatchScope"/> around each datagram it hands on: everything the handler sends in
/// answer (the fan-out of one packet to every viewer) leaves in one sendmmsg(2). A perf profile of the
/// load suite put 59 % of the relay's CPU in sendmsg, one per viewer per packet; batching saves the
/// system call's entry and exit, not the kernel's work per datagram (bench/RESULTS.md, "Batched UDP").
/// </para>
/// </remarks>
public sealed class UdpMediaSocket : IDatagramSender, IDisposable, IAsyncDisposable
{
    // Windows reports an ICMP port unreachable for an earlier send as ConnectionReset on the next
    // receive of an unconnected UDP socket unless this is switched off (SIO_UDP_CONNRESET).
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    [ThreadStatic]
    private static SocketAddress? s_sendAddressIPv4;

    [ThreadStatic]
    private static SocketAddress? s_sendAddressIPv6;

    private readonly Socket _socket;
    private readonly PacketBufferPool _pool;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxConsecutiveReceiveErrors;
    private readonly int _receiveBatchSize;
    private readonly int? _receiveThreadNice;
    private int _receiveThreadNiceInEffect = int.MinValue;
    private readonly SafeSocketHandle _handle;
    private readonly IBatchedSocketCalls _batchedCalls;
    private bool _batchedSend;
    private bool _batchedReceive;
    private IUdpDatagramHandler? _handler;
    private Task _receiveLoop = Task.CompletedTask;
    private int _handlerThreadId;
    private int _disposed;

    /// <summary>Creates and binds the socket; call <see cref="Start"/> to begin receiving.</summary>
    /// <exception cref="SocketException">The address or port cannot be bound.</exception>
    public UdpMediaSocket(UdpMediaSocketOptions options, PacketBufferPool pool, TimeProvider? timeProvider = null)
        : this(options, pool, timeProvider, LinuxBatchedSocketCalls.Instance)
    {
    }

    /// <summary>Tests: with <paramref name="batchedCalls"/> standing in for sendmmsg and recvmmsg.</summary>
    internal UdpMediaSocket(UdpMediaSocketOptions options, PacketBufferPool pool, TimeProvider? timeProvider, IBatchedSocketCalls batchedCalls)
    {
        ArgumentNullException.ThrowIfNull(batchedCalls);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options.Address);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConsecutiveReceiveErrors, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReceiveBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ReceiveBatchSize, 1024);
        if (options.ReceiveThreadNice is int nice)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(nice, -20);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        }

        _pool = pool;
        _batchedCalls = batchedCalls;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxConsecutiveReceiveErrors = options.MaxConsecutiveReceiveErrors;
        _receiveBatchSize = options.ReceiveBatchSize;
        _receiveThreadNice = options.ReceiveThreadNice;
        _batchedSend = _batchedReceive = options.BatchedIo && OperatingSystem.IsLinux();
        _socket = new Socket(options.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _handle = _socket.SafeHandle;
        try
        {
            if (options.Address.AddressFamily == AddressFamily.InterNetworkV6 && options.Address.Equals(IPAddress.IPv6Any))
            {
                _socket.DualMode = true;
            }

            if (OperatingSystem.IsWindows())
            {
                _socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            _socket.ReceiveBufferSize = options.ReceiveBufferSize;
            _socket.SendBufferSize = options.SendBufferSize;
            _socket.Bind(new IPEndPoint(options.Address, options.Port));
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            LocalAddress = StunTransportAddress.FromIPEndPoint(LocalEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The bound address and port (the port the system picked when the options said 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary><see cref="LocalEndPoint"/> as the packet path holds addresses.</summary>
    public StunTransportAddress LocalAddress { get; }

    public UdpSocketCounters Counters { get; } = new();

    /// <summary>True if sends inside a <see cref="UdpSendBatchScope"/> go out by sendmmsg(2) (Linux, <see cref="UdpMediaSocketOptions.BatchedIo"/>).</summary>
    public bool IsSendBatched => Volatile.Read(ref _batchedSend);

    /// <summary>True if the receive worker uses recvmmsg(2) (Linux, <see cref="UdpMediaSocketOptions.BatchedIo"/>).</summary>
    public bool IsReceiveBatched => Volatile.Read(ref _batchedReceive);

    /// <summary>
    /// The receive worker's nice value once it runs (Linux), read back after applying
    /// <see cref="UdpMediaSocketOptions.ReceiveThreadNice"/>: differs from it when the system refused.
    /// Null before the worker starts or off Linux.
    /// </summary>
    public int? ReceiveThreadNice => Volatile.Read(ref _receiveThreadNiceInEffect) is int nice and not int.MinValue ? nice : null;

    /// <summary>SO_RCVBUF as granted by the system.</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>SO_SNDBUF as granted by the system.</summary>
    public int SendBufferSize => _socket.SendBufferSize;

    /// <summary>
    /// Completes when the receive worker stops: successfully after <see cref="Dispose"/>, faulted if
    /// the socket failed for good (see <see cref="UdpMediaSocketOptions.MaxConsecutiveReceiveErrors"/>).
    /// </summary>
    public Task Completion => _receiveLoop;

    /// <summary>Starts the receive worker, which passes every datagram to <paramref name="handler"/>.</summary>
    public void Start(IUdpDatagramHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.CompareExchange(ref _handler, handler, null) is not null)
        {
            throw new InvalidOperationException("The socket has already been started.");
        }

        // A dedicated thread blocked in recvfrom, not an async loop on the thread pool: each datagram
        // then costs one system call and no hand-off. Under load (bench/RESULTS.md, load suite) the
        // async loop's completions kept thread-pool workers spinning in sched_yield for about a third
        // of the relay's CPU.
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiveLoop = completion.Task;
        var worker = new Thread(() => RunReceiveWorker(handler, completion))
        {
            IsBackground = true,
            Name = "udp receive " + LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture),
        };
        worker.Start();
    }

    /// <inheritdoc />
    public bool TrySend(ReadOnlySpan<byte> datagram, in StunTransportAddress destination)
    {
        SocketAddress address = SendAddressForThisThread();
        if (!destination.TryWriteTo(address))
        {
            Counters.OnSendError();
            return false;
        }

        if (_batchedSend && UdpSendBatch.OpenOnThisThread is { } batch && batch.TryQueue(this, datagram, address))
        {
            return true;
        }

        return TrySend(datagram, address);
    }

    /// <summary>
    /// Sends the <paramref name="count"/> datagrams a batch queued for this socket: sendmmsg(2) until all
    /// are gone. A datagram the network refuses (sendmmsg then reports its error on the next call,
    /// which starts at it) is counted and skipped, so one bad destination does not lose the rest.
    /// </summary>
    internal unsafe void SendQueued(UdpSendBatch batch, LinuxSocketCalls.MMsgHdr* headers, int count)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            Counters.OnSendErrors(count);
            return;
        }

        try
        {
            int fd = (int)_handle.DangerousGetHandle();
            int start = 0;
            while (start < count)
            {
                if (!Volatile.Read(ref _batchedSend))
                {
                    SendOneQueued(batch, start++);
                    continue;
                }

                int sent = _batchedCalls.SendMmsg(fd, headers + start, (uint)(count - start), out int errno);
                if (sent > 0)
                {
                    long bytes = 0;
                    for (int i = start; i < start + sent; i++)
                    {
                        bytes += headers[i].Length;
                    }

                    Counters.OnSentBatch(sent, bytes);
                    start += sent;
                    continue;
                }

                start += OnSendBatchFailed(batch, start, sent < 0 ? errno : 0);
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    // sendmmsg sent nothing: returns how many datagrams from index to step over (0 to retry).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int OnSendBatchFailed(UdpSendBatch batch, int index, int errno)
    {
        switch (errno)
        {
            case LinuxSocketCalls.EIntr:
                return 0;
            case LinuxSocketCalls.ENoSys:
                Volatile.Write(ref _batchedSend, false);
                return 0;
            case LinuxSocketCalls.EAgain:
                // Only a non-blocking descriptor says this (TrySendAsync makes it one): the managed
                // send waits for room as a blocking socket would.
                SendOneQueued(batch, index);
                return 1;
            default:
                // The first queued datagram was refused (EPERM from a firewall, EINVAL for port 0,
                // ENETUNREACH...): it is dropped and counted, the rest go on.
                Counters.OnSendError();
                return 1;
        }
    }

    private void SendOneQueued(UdpSendBatch batch, int index)
    {
        SocketAddress address = SendAddressForThisThread();
        ReadOnlySpan<byte> raw = batch.Address(index);
        raw.CopyTo(address.Buffer.Span);
        address.Size = raw.Length;
        TrySend(batch.Datagram(index), address);
    }

    /// <summary>
    /// Sends to an address the caller keeps (a peer's selected address, say), without allocating.
    /// Blocks only while the kernel's send buffer is full.
    /// </summary>
    /// <returns>False if the datagram was not sent; counted in <see cref="UdpSocketCounters.SendErrors"/>.</returns>
    public bool TrySend(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            int sent = _socket.SendTo(datagram, SocketFlags.None, destination);
            Counters.OnSent(sent);
            return true;
        }
        catch (SocketException)
        {
            Counters.OnSendError();
            return false;
        }
        catch (ObjectDisposedException)
        {
            Counters.OnSendError();
            return false;
        }
    }

    /// <summary>
    /// Sends without blocking the caller when the kernel's buffer is full. Completes synchronously,
    /// without allocating, whenever the datagram fits at once (nearly always for UDP).
    /// </summary>
    /// <returns>False if the datagram was not sent; counted in <see cref="UdpSocketCounters.SendErrors"/>.</returns>
    public ValueTask<bool> TrySendAsync(ReadOnlyMemory<byte> datagram, SocketAddress destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ValueTask<int> send;
        try
        {
            send = _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            Counters.OnSendError();
            return ValueTask.FromResult(false);
        }

        if (send.IsCompletedSuccessfully)
        {
            Counters.OnSent(send.Result);
            return ValueTask.FromResult(true);
        }

        return AwaitSendAsync(send);
    }

    /// <summary>Closes the socket and waits for the receive worker to let go of its buffer.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Dispose();

        // From inside the handler the worker cannot finish until this call returns.
        if (Volatile.Read(ref _handlerThreadId) != Environment.CurrentManagedThreadId)
        {
            try
            {
                _receiveLoop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The fault stays observable through Completion.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Dispose();
        if (Volatile.Read(ref _handlerThreadId) != Environment.CurrentManagedThreadId)
        {
            await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "The worker's failure is reported through Completion, as a faulted task would be.")]
    private void RunReceiveWorker(IUdpDatagramHandler handler, TaskCompletionSource completion)
    {
        if (OperatingSystem.IsLinux())
        {
            if (_receiveThreadNice is int nice)
            {
                LinuxThreadPriority.TrySetForThisThread(nice);
            }

            Volatile.Write(ref _receiveThreadNiceInEffect, LinuxThreadPriority.ForThisThread() ?? int.MinValue);
        }

        try
        {
            ReceiveLoop(handler);
            completion.SetResult();
        }
        catch (Exception e)
        {
            completion.SetException(e);
        }
    }

    private void ReceiveLoop(IUdpDatagramHandler handler)
    {
        if (!_batchedReceive || !ReceiveLoopBatched(handler))
        {
            ReceiveLoopSingle(handler);
        }
    }

    private void ReceiveLoopSingle(IUdpDatagramHandler handler)
    {
        var address = new SocketAddress(_socket.AddressFamily);
        PacketLease? lease = null;
        int consecutiveErrors = 0;
        try
        {
            while (Volatile.Read(ref _disposed) == 0)
            {
                lease ??= _pool.Rent();
                int received;
                try
                {
                    received = _socket.ReceiveFrom(lease.Buffer, SocketFlags.None, address);
                }
                catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException)
                {
                    Counters.OnReceiveError();
                    if (++consecutiveErrors >= _maxConsecutiveReceiveErrors)
                    {
                        throw;
                    }

                    continue;
                }

                consecutiveErrors = 0;
                Counters.OnReceived(received);

                // Linux cuts a datagram longer than the buffer without saying so; a full buffer is
                // the only sign, and blocks are larger than any datagram a 1500-byte MTU carries.
                if (received >= lease.Capacity)
                {
                    Counters.OnDroppedOversized();
                    continue;
                }

                if (!StunTransportAddress.TryFromSocketAddress(address, out StunTransportAddress source))
                {
                    Counters.OnDroppedUnknownFamily();
                    continue;
                }

                lease.SetLength(received);
                lease.Timestamp = _timeProvider.GetTimestamp();
                PacketLease datagram = lease;
                lease = null;

                // Here too when only recvmmsg is missing (ENOSYS): the fan-out still leaves in one sendmmsg.
                UdpSendBatch? batch = _batchedSend ? UdpSendBatch.Open() : null;
                try
                {
                    Deliver(handler, datagram, source);
                }
                finally
                {
                    batch?.Close();
                }
            }
        }
        finally
        {
            lease?.Release();
        }
    }

    // recvmmsg into a ring of pooled leases, each pinned while it waits in the ring (the test pool's
    // blocks are ordinary arrays). Each received lease is handed on and replaced; one that is dropped
    // (cut short, unknown family) stays for the next call.
    // False if the kernel has no recvmmsg (ENOSYS): the caller goes on one datagram at a time.
    private unsafe bool ReceiveLoopBatched(IUdpDatagramHandler handler)
    {
        int size = _receiveBatchSize;
        var leases = new PacketLease?[size];
        var pins = new System.Buffers.MemoryHandle[size];
        LinuxSocketCalls.IoVec[] iov = GC.AllocateArray<LinuxSocketCalls.IoVec>(size, pinned: true);
        LinuxSocketCalls.MMsgHdr[] headerArray = GC.AllocateArray<LinuxSocketCalls.MMsgHdr>(size, pinned: true);
        byte[] names = GC.AllocateArray<byte>(size * LinuxSocketCalls.AddressStride, pinned: true);
        var address = new SocketAddress(_socket.AddressFamily);
        LinuxSocketCalls.MMsgHdr* headers = (LinuxSocketCalls.MMsgHdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(headerArray));
        LinuxSocketCalls.IoVec* vectors = (LinuxSocketCalls.IoVec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(iov));
        byte* nameBase = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(names));
        for (int i = 0; i < size; i++)
        {
            headers[i].Header.Iov = (nint)(vectors + i);
            headers[i].Header.IovLength = 1;
            headers[i].Header.Name = (nint)(nameBase + (i * LinuxSocketCalls.AddressStride));
        }

        int consecutiveErrors = 0;
        try
        {
            while (Volatile.Read(ref _disposed) == 0)
            {
                for (int i = 0; i < size; i++)
                {
                    if (leases[i] is null)
                    {
                        PacketLease lease = _pool.Rent();
                        leases[i] = lease;
                        pins[i] = lease.BufferMemory.Pin();
                        vectors[i].Base = (nint)pins[i].Pointer;
                        vectors[i].Length = (nuint)lease.Capacity;
                    }

                    headers[i].Header.NameLength = LinuxSocketCalls.AddressStride;
                    headers[i].Header.Flags = 0;
                }

                int received = ReceiveBatch(headers, size, out int errno);
                if (Volatile.Read(ref _disposed) != 0)
                {
                    break;
                }

                if (received <= 0)
                {
                    if (errno == LinuxSocketCalls.ENoSys)
                    {
                        Volatile.Write(ref _batchedReceive, false);
                        return false;
                    }

                    if (errno is LinuxSocketCalls.EIntr or LinuxSocketCalls.EAgain)
                    {
                        // EAGAIN only on a non-blocking descriptor (TrySendAsync makes it one): wait for data.
                        if (!WaitReadable())
                        {
                            break;
                        }

                        continue;
                    }

                    Counters.OnReceiveError();
                    if (++consecutiveErrors >= _maxConsecutiveReceiveErrors)
                    {
                        throw new SocketException(errno);
                    }

                    continue;
                }

                consecutiveErrors = 0;
                long bytes = 0;
                for (int i = 0; i < received; i++)
                {
                    bytes += headers[i].Length;
                }

                Counters.OnReceivedBatch(received, bytes);
                long now = _timeProvider.GetTimestamp();
                for (int i = 0; i < received && Volatile.Read(ref _disposed) == 0; i++)
                {
                    PacketLease lease = leases[i]!;
                    int length = (int)headers[i].Length;

                    // Linux sets MSG_TRUNC when it cut the datagram; a full buffer is dropped as in the
                    // single path, since blocks are larger than any datagram a 1500-byte MTU carries.
                    if (length >= lease.Capacity || (headers[i].Header.Flags & LinuxSocketCalls.MsgTrunc) != 0)
                    {
                        Counters.OnDroppedOversized();
                        continue;
                    }

                    int nameLength = (int)Math.Min(headers[i].Header.NameLength, (uint)LinuxSocketCalls.AddressStride);
                    new ReadOnlySpan<byte>(nameBase + (i * LinuxSocketCalls.AddressStride), nameLength).CopyTo(address.Buffer.Span);
                    address.Size = nameLength;
                    if (!StunTransportAddress.TryFromSocketAddress(address, out StunTransportAddress source))
                    {
                        Counters.OnDroppedUnknownFamily();
                        continue;
                    }

                    pins[i].Dispose();
                    leases[i] = null;
                    lease.SetLength(length);
                    lease.Timestamp = now;
                    UdpSendBatch? batch = _batchedSend ? UdpSendBatch.Open() : null;
                    try
                    {
                        Deliver(handler, lease, source);
                    }
                    finally
                    {
                        batch?.Close();
                    }
                }
            }
        }
        finally
        {
            for (int i = 0; i < size; i++)
            {
                if (leases[i] is { } lease)
                {
                    pins[i].Dispose();
                    lease.Release();
                }
            }

            // The kernel holds raw pointers into these: pinned arrays never move, but one the JIT sees
            // as unused after its pointer was taken can be collected, and recvmmsg then writes into
            // freed memory (seen: test host crashes, a socket that stopped receiving).
            GC.KeepAlive(iov);
            GC.KeepAlive(headerArray);
            GC.KeepAlive(names);
        }

        return true;
    }

    private bool WaitReadable()
    {
        try
        {
            _socket.Poll(100_000, SelectMode.SelectRead);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (SocketException)
        {
            return Volatile.Read(ref _disposed) == 0;
        }
    }

    // One recvmmsg holding a reference on the descriptor, so Dispose (which shuts the socket down to
    // wake this call, as it does for a blocked recvfrom) cannot close it under the call.
    private unsafe int ReceiveBatch(LinuxSocketCalls.MMsgHdr* headers, int size, out int errno)
    {
        errno = 0;
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            return _batchedCalls.RecvMmsg((int)_handle.DangerousGetHandle(), headers, (uint)size, LinuxSocketCalls.MsgWaitForOne, out errno);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    // The handler owns the lease even when it throws, so it is not released here: a handler that
    // throws after handing the lease on would otherwise see it returned under its feet.
    [SuppressMessage("Design", "CA1031", Justification = "A bug in one handler must not stop every peer's receive worker; it is counted.")]
    private void Deliver(IUdpDatagramHandler handler, PacketLease datagram, in StunTransportAddress source)
    {
        Volatile.Write(ref _handlerThreadId, Environment.CurrentManagedThreadId);
        try
        {
            handler.OnDatagram(datagram, source);
        }
        catch (Exception)
        {
            Counters.OnHandlerError();
        }
        finally
        {
            Volatile.Write(ref _handlerThreadId, 0);
        }
    }

    private async ValueTask<bool> AwaitSendAsync(ValueTask<int> send)
    {
        try
        {
            Counters.OnSent(await send.ConfigureAwait(false));
            return true;
        }
        catch (SocketException)
        {
            Counters.OnSendError();
            return false;
        }
        catch (ObjectDisposedException)
        {
            Counters.OnSendError();
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private SocketAddress SendAddressForThisThread() =>
        _socket.AddressFamily == AddressFamily.InterNetwork
            ? s_sendAddressIPv4 ?? CreateSendAddress(AddressFamily.InterNetwork)
            : s_sendAddressIPv6 ?? CreateSendAddress(AddressFamily.InterNetworkV6);

    // One scratch address per sending thread and family, made on the thread's first send.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SocketAddress CreateSendAddress(AddressFamily family)
    {
        var address = new SocketAddress(family);
        if (family == AddressFamily.InterNetwork)
        {
            s_sendAddressIPv4 = address;
        }
        else
        {
            s_sendAddressIPv6 = address;
        }

        return address;
    }
}
