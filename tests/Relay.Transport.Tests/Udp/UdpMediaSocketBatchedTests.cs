using System.Net;
using System.Net.Sockets;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Testing.Buffers;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>
/// The socket with recvmmsg and sendmmsg (Linux): every test of <see cref="UdpMediaSocketTests"/> runs
/// again on this path, and these check what only batching does, over real loopback sockets.
/// </summary>
public sealed class UdpMediaSocketBatchedTests : UdpMediaSocketTests
{
    protected override bool BatchedIo => true;

    protected override int ReceiveLeases => OperatingSystem.IsLinux() ? new UdpMediaSocketOptions().ReceiveBatchSize : 1;

    [Fact]
    public async Task FanOutInOneScope_LeavesInOneCallAndEveryPeerGetsItsOwnDatagramIntact()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(LoopbackOptions, pool);
        Socket[] peers = CreatePeers(10);
        try
        {
            byte[][] sent = new byte[peers.Length][];
            using (UdpSendBatchScope scope = UdpSendBatchScope.Open())
            {
                Assert.True(scope.IsOutermost);
                for (int i = 0; i < peers.Length; i++)
                {
                    sent[i] = Payload(1200, seed: i);
                    Assert.True(socket.TrySend(sent[i], Loopback.AddressOf(peers[i])));
                }

                Assert.All(peers, peer => Assert.Equal(0, peer.Available));
                Assert.Equal(0, socket.Counters.DatagramsSent);
            }

            for (int i = 0; i < peers.Length; i++)
            {
                Assert.Equal(sent[i], Loopback.Receive(peers[i]));
            }

            Assert.Equal(1, socket.Counters.SendBatches);
            Assert.Equal(10, socket.Counters.DatagramsSent);
            Assert.Equal(12_000, socket.Counters.BytesSent);
            Assert.Equal(0, socket.Counters.SendErrors);
        }
        finally
        {
            Dispose(peers);
        }
    }

    [Fact]
    public async Task BatchLargerThanItsArray_IsSplitAndEveryDatagramArrivesInOrder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(LoopbackOptions, pool);
        using Socket peer = Loopback.CreateSocket();
        peer.ReceiveBufferSize = 1 << 20;
        int count = (2 * UdpSendBatch.Capacity) + 22;
        using (UdpSendBatchScope.Open())
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(socket.TrySend(Payload(100, seed: i), Loopback.AddressOf(peer)));
            }
        }

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Payload(100, seed: i), Loopback.Receive(peer));
        }

        Assert.Equal(3, socket.Counters.SendBatches);
        Assert.Equal(count, socket.Counters.DatagramsSent);
    }

    [Fact]
    public async Task DestinationsTheKernelRefuses_AreCountedAndTheRestOfTheBatchStillGoes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(LoopbackOptions, pool);
        Socket[] peers = CreatePeers(3);
        try
        {
            // sendto refuses port 0 with EINVAL and the broadcast address on a socket without
            // SO_BROADCAST with EACCES: sendmmsg stops at each, reports it on the next call, which
            // starts at it.
            var portZero = new StunTransportAddress(IPAddress.Loopback.GetAddressBytes(), 0);
            var broadcast = new StunTransportAddress(IPAddress.Broadcast.GetAddressBytes(), 9);
            using (UdpSendBatchScope.Open())
            {
                Assert.True(socket.TrySend("a"u8, Loopback.AddressOf(peers[0])));
                Assert.True(socket.TrySend("refused"u8, portZero));
                Assert.True(socket.TrySend("b"u8, Loopback.AddressOf(peers[1])));
                Assert.True(socket.TrySend("refused"u8, broadcast));
                Assert.True(socket.TrySend("c"u8, Loopback.AddressOf(peers[2])));
            }

            Assert.Equal("a"u8.ToArray(), Loopback.Receive(peers[0]));
            Assert.Equal("b"u8.ToArray(), Loopback.Receive(peers[1]));
            Assert.Equal("c"u8.ToArray(), Loopback.Receive(peers[2]));
            Assert.Equal(2, socket.Counters.SendErrors);
            Assert.Equal(3, socket.Counters.DatagramsSent);
            Assert.Equal(3, socket.Counters.SendBatches);
        }
        finally
        {
            Dispose(peers);
        }
    }

    [Fact]
    public async Task NestedScope_IsInertAndTheOuterOneSends()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(LoopbackOptions, pool);
        using Socket peer = Loopback.CreateSocket();
        using (UdpSendBatchScope.Open())
        {
            using (UdpSendBatchScope inner = UdpSendBatchScope.Open())
            {
                Assert.False(inner.IsOutermost);
                socket.TrySend("one"u8, Loopback.AddressOf(peer));
            }

            Assert.Equal(0, peer.Available);
            socket.TrySend("two"u8, Loopback.AddressOf(peer));
        }

        Assert.Equal("one"u8.ToArray(), Loopback.Receive(peer));
        Assert.Equal("two"u8.ToArray(), Loopback.Receive(peer));
        Assert.Equal(1, socket.Counters.SendBatches);
    }

    [Fact]
    public async Task SendsOfAnotherThread_AreNotHeldByThisThreadsScope()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(LoopbackOptions, pool);
        using Socket peer = Loopback.CreateSocket();
        using (UdpSendBatchScope.Open())
        {
            var other = new Thread(() => socket.TrySend("other thread"u8, Loopback.AddressOf(peer)));
            other.Start();
            other.Join();

            Assert.Equal("other thread"u8.ToArray(), Loopback.Receive(peer));
        }

        Assert.Equal(0, socket.Counters.SendBatches);
    }

    [Fact]
    public async Task WithBatchingOff_AScopeHoldsNothing()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback, BatchedIo = false }, pool);
        using Socket peer = Loopback.CreateSocket();
        Assert.False(socket.IsSendBatched);
        Assert.False(socket.IsReceiveBatched);
        using (UdpSendBatchScope.Open())
        {
            socket.TrySend("now"u8, Loopback.AddressOf(peer));

            Assert.Equal("now"u8.ToArray(), Loopback.Receive(peer));
        }

        Assert.Equal(0, socket.Counters.SendBatches);
        Assert.Equal(1, socket.Counters.DatagramsSent);
    }

    [Fact]
    public async Task QueueingAndSendingABatch_AllocatesNothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        await using var socket = new UdpMediaSocket(LoopbackOptions, pool);
        Socket[] peers = CreatePeers(10);
        try
        {
            var addresses = new StunTransportAddress[peers.Length];
            for (int i = 0; i < peers.Length; i++)
            {
                addresses[i] = Loopback.AddressOf(peers[i]);
            }

            byte[] datagram = Payload(1200, seed: 7);
            SendFanOut(socket, datagram, addresses);
            long before = GC.GetAllocatedBytesForCurrentThread();
            SendFanOut(socket, datagram, addresses);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.Equal(2, socket.Counters.SendBatches);
        }
        finally
        {
            Dispose(peers);
        }
    }

    [Fact]
    public async Task DatagramsQueuedBeforeStart_AreTakenManyPerCallInOrderWithTheirSources()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        var handler = new QueueingDatagramHandler();
        Socket[] peers = CreatePeers(2);
        try
        {
            await using (var socket = new UdpMediaSocket(LoopbackOptions, pool))
            {
                int batch = new UdpMediaSocketOptions().ReceiveBatchSize;
                int count = (3 * batch) + 4;
                for (int i = 0; i < count; i++)
                {
                    peers[i % 2].SendTo(Payload(300, seed: i), socket.LocalEndPoint);
                }

                socket.Start(handler);
                for (int i = 0; i < count; i++)
                {
                    ReceivedDatagram received = await handler.NextAsync();
                    Assert.Equal(Payload(300, seed: i), received.Bytes);
                    Assert.Equal(Loopback.AddressOf(peers[i % 2]), received.Source);
                }

                Assert.True(socket.IsReceiveBatched);
                Assert.Equal(count, socket.Counters.DatagramsReceived);
                Assert.Equal(4, socket.Counters.ReceiveBatches);
            }

            Assert.Equal(0, pool.Outstanding);
        }
        finally
        {
            Dispose(peers);
        }
    }

    [Fact]
    public async Task ReceiveWorker_KeepsReceivingIntactDatagramsAcrossFullCollections()
    {
        // Regression: the worker's mmsghdr, iovec and sockaddr arrays were only reachable through
        // raw pointers once set up, so a collection could free them under recvmmsg.
        using var pool = new LeakCheckingPacketBufferPool();
        var handler = new QueueingDatagramHandler();
        using Socket peer = Loopback.CreateSocket();
        await using (var socket = new UdpMediaSocket(LoopbackOptions, pool))
        {
            socket.Start(handler);
            for (int round = 0; round < 5; round++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                _ = new byte[64 * 1024];
                peer.SendTo(Payload(700, seed: round), socket.LocalEndPoint);

                ReceivedDatagram received = await handler.NextAsync();
                Assert.Equal(Payload(700, seed: round), received.Bytes);
                Assert.Equal(Loopback.AddressOf(peer), received.Source);
            }
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task HostileDatagramsInABatch_AreDroppedAndCountedAndTheOthersDelivered()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool(blockSize: 512);
        var handler = new QueueingDatagramHandler();
        using Socket peer = Loopback.CreateSocket();
        await using (var socket = new UdpMediaSocket(LoopbackOptions, pool))
        {
            peer.SendTo("first"u8, socket.LocalEndPoint);
            peer.SendTo(new byte[9000], socket.LocalEndPoint);
            peer.SendTo(new byte[512], socket.LocalEndPoint);
            peer.SendTo(Array.Empty<byte>(), socket.LocalEndPoint);
            peer.SendTo("last"u8, socket.LocalEndPoint);
            socket.Start(handler);

            Assert.Equal("first"u8.ToArray(), (await handler.NextAsync()).Bytes);
            Assert.Empty((await handler.NextAsync()).Bytes);
            Assert.Equal("last"u8.ToArray(), (await handler.NextAsync()).Bytes);
            Assert.Equal(2, socket.Counters.DroppedOversized);
            Assert.Equal(1, socket.Counters.ReceiveBatches);
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task WhatTheHandlerSendsInAnswerToOneDatagram_LeavesInOneCall()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var pool = new LeakCheckingPacketBufferPool();
        Socket[] viewers = CreatePeers(5);
        using Socket publisher = Loopback.CreateSocket();
        try
        {
            await using (var socket = new UdpMediaSocket(LoopbackOptions, pool))
            {
                var handler = new FanOutHandler(socket, viewers);
                socket.Start(handler);

                publisher.SendTo("frame 1"u8, socket.LocalEndPoint);
                foreach (Socket viewer in viewers)
                {
                    Assert.Equal("frame 1"u8.ToArray(), Loopback.Receive(viewer));
                }

                publisher.SendTo("frame 2"u8, socket.LocalEndPoint);
                foreach (Socket viewer in viewers)
                {
                    Assert.Equal("frame 2"u8.ToArray(), Loopback.Receive(viewer));
                }

                // Counted just after sendmmsg returns, which may be after the viewers have read.
                await Loopback.Eventually(() => socket.Counters.DatagramsSent == 10, "both fan-outs to be counted");
                Assert.Equal(2, socket.Counters.SendBatches);
            }

            Assert.Equal(0, pool.Outstanding);
        }
        finally
        {
            Dispose(viewers);
        }
    }

    private static void SendFanOut(UdpMediaSocket socket, byte[] datagram, StunTransportAddress[] addresses)
    {
        using UdpSendBatchScope scope = UdpSendBatchScope.Open();
        for (int i = 0; i < addresses.Length; i++)
        {
            socket.TrySend(datagram, addresses[i]);
        }
    }

    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Socket[] CreatePeers(int count)
    {
        var peers = new Socket[count];
        for (int i = 0; i < count; i++)
        {
            peers[i] = Loopback.CreateSocket();
        }

        return peers;
    }

    private static void Dispose(Socket[] sockets)
    {
        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>Sends each datagram it receives on to every viewer, as the media fan-out does, and releases it.</summary>
    private sealed class FanOutHandler(UdpMediaSocket socket, Socket[] viewers) : IUdpDatagramHandler
    {
        private readonly StunTransportAddress[] _viewers = Array.ConvertAll(viewers, Loopback.AddressOf);

        public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
        {
            foreach (StunTransportAddress viewer in _viewers)
            {
                socket.TrySend(datagram.Span, viewer);
            }

            datagram.Release();
        }
    }
}
