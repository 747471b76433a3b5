using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;

namespace Relay.Transport.Udp;

/// <summary>
/// The one UDP socket every peer's ICE, DTLS and SRTP share (RFC 7983 demultiplexing happens in the
/// handler). One receive worker rents a pooled lease per datagram, receives into it and hands it to
/// an <see cref="IUdpDatagramHandler"/>; any thread may send.
/// </summary>
/// <remarks>
/// The receive worker is a dedicated thread blocked in
/// <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/> into a single reused
/// <see cref="SocketAddress"/>, so a datagram costs one system call, no hand-off between threads and
/// no allocation; disposing the socket wakes it. Sending uses the synchronous
/// <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>: a UDP send never waits
/// for the peer, only for room in the kernel's buffer, and it allocates nothing. Measured on loopback
/// with 1200-byte datagrams (bench/Relay.Bench/Transport/UdpSendBenchmarks.cs, short job, 2 cores):
/// 1.44 us for the synchronous send, 1.52 us for <see cref="TrySendAsync"/> completing synchronously,
/// both 0 B: the system call is the cost, so the packet path takes the simpler synchronous one.
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
    private IUdpDatagramHandler? _handler;
    private Task _receiveLoop = Task.CompletedTask;
    private int _handlerThreadId;
    private int _disposed;

    /// <summary>Creates and binds the socket; call <see cref="Start"/> to begin receiving.</summary>
    /// <exception cref="SocketException">The address or port cannot be bound.</exception>
    public UdpMediaSocket(UdpMediaSocketOptions options, PacketBufferPool pool, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options.Address);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConsecutiveReceiveErrors, 1);

        _pool = pool;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxConsecutiveReceiveErrors = options.MaxConsecutiveReceiveErrors;
        _socket = new Socket(options.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
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

        return TrySend(datagram, address);
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
                Deliver(handler, datagram, source);
            }
        }
        finally
        {
            lease?.Release();
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
