using System.Net;
using System.Net.Sockets;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Testing.Buffers;
using Relay.Testing.Time;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

public class UdpMediaSocketTests
{
    /// <summary>Which receive and send path these tests run: one system call per datagram here, the batched one in <see cref="UdpMediaSocketBatchedTests"/>.</summary>
    protected virtual bool BatchedIo => false;

    /// <summary>Leases the receive worker holds while waiting.</summary>
    protected virtual int ReceiveLeases => 1;

    /// <summary>sendmmsg and recvmmsg as the socket sees them: the real ones, or a stand-in that fails.</summary>
    private protected virtual IBatchedSocketCalls BatchedCalls => LinuxBatchedSocketCalls.Instance;

    protected UdpMediaSocketOptions LoopbackOptions => new() { Address = IPAddress.Loopback, Port = 0, BatchedIo = BatchedIo };

    [Fact]
    public async Task ReceivedDatagram_IsHandedOverWithLengthTimestampAndSource()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(42));
        using var pool = new LeakCheckingPacketBufferPool();
        var handler = new QueueingDatagramHandler();
        using var peer = Loopback.CreateSocket();
        await using (var socket = CreateSocket(LoopbackOptions, pool, time))
        {
            socket.Start(handler);

            peer.SendTo("hello"u8, socket.LocalEndPoint);
            ReceivedDatagram received = await handler.NextAsync();

            Assert.Equal("hello"u8.ToArray(), received.Bytes);
            Assert.Equal(Loopback.AddressOf(peer), received.Source);
            Assert.Equal(time.GetTimestamp(), received.Timestamp);
            Assert.Equal(1, socket.Counters.DatagramsReceived);
            Assert.Equal(5, socket.Counters.BytesReceived);
            Assert.NotEqual(0, socket.LocalEndPoint.Port);
            Assert.Equal(socket.LocalEndPoint.Port, socket.LocalAddress.Port);
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task TrySend_ReachesThePeerAndIsCounted()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var peer = Loopback.CreateSocket();
        await using var socket = CreateSocket(LoopbackOptions, pool);
        socket.Start(new QueueingDatagramHandler());

        Assert.True(socket.TrySend("one"u8, Loopback.AddressOf(peer)));
        Assert.True(await socket.TrySendAsync("three"u8.ToArray(), ((IPEndPoint)peer.LocalEndPoint!).Serialize()));

        Assert.Equal("one"u8.ToArray(), Loopback.Receive(peer));
        Assert.Equal("three"u8.ToArray(), Loopback.Receive(peer));
        Assert.Equal(2, socket.Counters.DatagramsSent);
        Assert.Equal(8, socket.Counters.BytesSent);
    }

    [Fact]
    public async Task TrySend_ToAnIPv6AddressFromAnIPv4Socket_FailsAndIsCounted()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = CreateSocket(LoopbackOptions, pool);

        Assert.False(socket.TrySend("x"u8, new StunTransportAddress(IPAddress.IPv6Loopback.GetAddressBytes(), 9)));
        Assert.Equal(1, socket.Counters.SendErrors);
    }

    [Fact]
    public async Task DatagramFillingTheWholeBuffer_IsDroppedAsPossiblyCutShort()
    {
        using var pool = new LeakCheckingPacketBufferPool(blockSize: 512);
        var handler = new QueueingDatagramHandler();
        using var peer = Loopback.CreateSocket();
        await using (var socket = CreateSocket(LoopbackOptions, pool))
        {
            socket.Start(handler);

            peer.SendTo(new byte[2000], socket.LocalEndPoint);
            peer.SendTo(new byte[512], socket.LocalEndPoint);
            peer.SendTo(new byte[511], socket.LocalEndPoint);

            Assert.Equal(511, (await handler.NextAsync()).Bytes.Length);
            Assert.Equal(2, socket.Counters.DroppedOversized);
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task HandlerThatThrows_IsCountedAndTheSocketKeepsReceiving()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        var handler = new ThrowingOnceHandler();
        using var peer = Loopback.CreateSocket();
        await using var socket = CreateSocket(LoopbackOptions, pool);
        socket.Start(handler);

        peer.SendTo("boom"u8, socket.LocalEndPoint);
        peer.SendTo("fine"u8, socket.LocalEndPoint);

        Assert.Equal("fine"u8.ToArray(), (await handler.Next.NextAsync()).Bytes);
        Assert.Equal(1, socket.Counters.HandlerErrors);
    }

    [Fact]
    public async Task Dispose_StopsTheWorkerAndReturnsItsBuffer()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        var socket = CreateSocket(LoopbackOptions, pool);
        socket.Start(new QueueingDatagramHandler());
        await Loopback.Eventually(() => pool.Outstanding == ReceiveLeases, "the worker to rent its receive buffers");

        socket.Dispose();

        Assert.True(socket.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, pool.Outstanding);
        Assert.False(socket.TrySend("late"u8, socket.LocalAddress));
        Assert.Throws<ObjectDisposedException>(() => socket.Start(new QueueingDatagramHandler()));
        socket.Dispose();
    }

    [Fact]
    public async Task Start_TwiceIsRefused()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = CreateSocket(LoopbackOptions, pool);
        socket.Start(new QueueingDatagramHandler());

        Assert.Throws<InvalidOperationException>(() => socket.Start(new QueueingDatagramHandler()));
    }

    [Fact]
    public async Task Dispose_FromInsideTheHandlerDoesNotDeadlock()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        using var peer = Loopback.CreateSocket();
        var handler = new DisposingHandler();
        var socket = CreateSocket(LoopbackOptions, pool);
        handler.Socket = socket;
        socket.Start(handler);

        peer.SendTo("stop"u8, socket.LocalEndPoint);

        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task SocketBuffers_AreEnlarged()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = CreateSocket(LoopbackOptions, pool);

        // Linux grants at most net.core.rmem_max (often 208 KiB, reported doubled); anything above
        // the 208 KiB default shows the request took effect.
        Assert.True(socket.ReceiveBufferSize >= 200 * 1024, $"SO_RCVBUF {socket.ReceiveBufferSize}");
        Assert.True(socket.SendBufferSize >= 200 * 1024, $"SO_SNDBUF {socket.SendBufferSize}");
    }

    [Fact]
    public async Task DualStackSocket_SeesAnIPv4PeerAsIPv4AndAnswersIt()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        var handler = new QueueingDatagramHandler();
        using var peer = Loopback.CreateSocket();
        await using var socket = CreateSocket(new UdpMediaSocketOptions { Address = IPAddress.IPv6Any, Port = 0, BatchedIo = BatchedIo }, pool);
        socket.Start(handler);

        peer.SendTo("v4"u8, new IPEndPoint(IPAddress.Loopback, socket.LocalEndPoint.Port));
        ReceivedDatagram received = await handler.NextAsync();

        Assert.Equal(StunAddressFamily.IPv4, received.Source.Family);
        Assert.Equal(Loopback.AddressOf(peer), received.Source);
        Assert.True(socket.TrySend("back"u8, received.Source));
        Assert.Equal("back"u8.ToArray(), Loopback.Receive(peer));
    }

    [Fact]
    public async Task ReceiveThreadNice_IsAppliedToTheReceiveWorkerAlone()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        UdpMediaSocketOptions options = LoopbackOptions;
        options.ReceiveThreadNice = 7;
        await using var socket = CreateSocket(options, pool);
        socket.Start(new QueueingDatagramHandler());

        await Loopback.Eventually(() => socket.ReceiveThreadNice is not null, "the worker to start");
        Assert.Equal(7, socket.ReceiveThreadNice);

        // Read independently from /proc (thread names are cut to 15 characters, so other tests'
        // workers may share the prefix): a thread named for the port runs at nice 7.
        string name = "udp receive " + socket.LocalEndPoint.Port;
        string prefix = name[..Math.Min(name.Length, 15)];
        var nices = new List<string>();
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == prefix)
                {
                    string stat = File.ReadAllText(Path.Combine(task, "stat"));
                    nices.Add(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        Assert.Contains("7", nices);
        Assert.NotEqual(7, ThisThreadsNice());
    }

    private static int ThisThreadsNice()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    private UdpMediaSocket CreateSocket(UdpMediaSocketOptions options, PacketBufferPool pool, TimeProvider? time = null) =>
        new(options, pool, time, BatchedCalls);

    private sealed class ThrowingOnceHandler : IUdpDatagramHandler
    {
        private int _calls;

        public QueueingDatagramHandler Next { get; } = new();

        public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                datagram.Release();
                throw new InvalidOperationException("A handler bug.");
            }

            Next.OnDatagram(datagram, source);
        }
    }

    private sealed class DisposingHandler : IUdpDatagramHandler
    {
        public UdpMediaSocket? Socket { get; set; }

        public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
        {
            datagram.Release();
            Socket!.Dispose();
        }
    }
}
