using System.Net;
using Relay.Protocols.Stun;
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

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 10);
        byte[][] sent = new byte[rig.Peers.Length][];
        using (UdpSendBatchScope scope = UdpSendBatchScope.Open())
        {
            Assert.True(scope.IsOutermost);
            for (int i = 0; i < rig.Peers.Length; i++)
            {
                sent[i] = Loopback.Payload(1200, seed: i);
                Assert.True(rig.Socket.TrySend(sent[i], rig.PeerAddresses[i]));
            }

            Assert.All(rig.Peers, peer => Assert.Equal(0, peer.Available));
            Assert.Equal(0, rig.Socket.Counters.DatagramsSent);
        }

        for (int i = 0; i < rig.Peers.Length; i++)
        {
            Assert.Equal(sent[i], Loopback.Receive(rig.Peers[i]));
        }

        Assert.Equal(1, rig.Socket.Counters.SendBatches);
        Assert.Equal(10, rig.Socket.Counters.DatagramsSent);
        Assert.Equal(12_000, rig.Socket.Counters.BytesSent);
        Assert.Equal(0, rig.Socket.Counters.SendErrors);
    }

    [Fact]
    public async Task BatchLargerThanItsArray_IsSplitAndEveryDatagramArrivesInOrder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1);
        int count = (2 * UdpSendBatch.Capacity) + 22;
        using (UdpSendBatchScope.Open())
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(rig.Socket.TrySend(Loopback.Payload(100, seed: i), rig.PeerAddresses[0]));
            }
        }

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Loopback.Payload(100, seed: i), Loopback.Receive(rig.Peer));
        }

        Assert.Equal(3, rig.Socket.Counters.SendBatches);
        Assert.Equal(count, rig.Socket.Counters.DatagramsSent);
    }

    [Fact]
    public async Task DestinationsTheKernelRefuses_AreCountedAndTheRestOfTheBatchStillGoes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 3);

        // sendto refuses port 0 with EINVAL and the broadcast address on a socket without
        // SO_BROADCAST with EACCES: sendmmsg stops at each, reports it on the next call, which
        // starts at it.
        var portZero = new StunTransportAddress(IPAddress.Loopback.GetAddressBytes(), 0);
        var broadcast = new StunTransportAddress(IPAddress.Broadcast.GetAddressBytes(), 9);
        using (UdpSendBatchScope.Open())
        {
            Assert.True(rig.Socket.TrySend("a"u8, rig.PeerAddresses[0]));
            Assert.True(rig.Socket.TrySend("refused"u8, portZero));
            Assert.True(rig.Socket.TrySend("b"u8, rig.PeerAddresses[1]));
            Assert.True(rig.Socket.TrySend("refused"u8, broadcast));
            Assert.True(rig.Socket.TrySend("c"u8, rig.PeerAddresses[2]));
        }

        Assert.Equal("a"u8.ToArray(), Loopback.Receive(rig.Peers[0]));
        Assert.Equal("b"u8.ToArray(), Loopback.Receive(rig.Peers[1]));
        Assert.Equal("c"u8.ToArray(), Loopback.Receive(rig.Peers[2]));
        Assert.Equal(2, rig.Socket.Counters.SendErrors);
        Assert.Equal(3, rig.Socket.Counters.DatagramsSent);
        Assert.Equal(3, rig.Socket.Counters.SendBatches);
    }

    [Fact]
    public async Task NestedScope_IsInertAndTheOuterOneSends()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1);
        using (UdpSendBatchScope.Open())
        {
            using (UdpSendBatchScope inner = UdpSendBatchScope.Open())
            {
                Assert.False(inner.IsOutermost);
                rig.Socket.TrySend("one"u8, rig.PeerAddresses[0]);
            }

            Assert.Equal(0, rig.Peer.Available);
            rig.Socket.TrySend("two"u8, rig.PeerAddresses[0]);
        }

        Assert.Equal("one"u8.ToArray(), Loopback.Receive(rig.Peer));
        Assert.Equal("two"u8.ToArray(), Loopback.Receive(rig.Peer));
        Assert.Equal(1, rig.Socket.Counters.SendBatches);
    }

    [Fact]
    public async Task SendsOfAnotherThread_AreNotHeldByThisThreadsScope()
    {
        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1);
        using (UdpSendBatchScope.Open())
        {
            var other = new Thread(() => rig.Socket.TrySend("other thread"u8, rig.PeerAddresses[0]));
            other.Start();
            other.Join();

            Assert.Equal("other thread"u8.ToArray(), Loopback.Receive(rig.Peer));
        }

        Assert.Equal(0, rig.Socket.Counters.SendBatches);
    }

    [Fact]
    public async Task WithBatchingOff_AScopeHoldsNothing()
    {
        await using var rig = MediaSocketRig.Create(batchedIo: false, peers: 1);
        Assert.False(rig.Socket.IsSendBatched);
        Assert.False(rig.Socket.IsReceiveBatched);
        using (UdpSendBatchScope.Open())
        {
            rig.Socket.TrySend("now"u8, rig.PeerAddresses[0]);

            Assert.Equal("now"u8.ToArray(), Loopback.Receive(rig.Peer));
        }

        Assert.Equal(0, rig.Socket.Counters.SendBatches);
        Assert.Equal(1, rig.Socket.Counters.DatagramsSent);
    }

    [Fact]
    public async Task QueueingAndSendingABatch_AllocatesNothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 10);
        byte[] datagram = Loopback.Payload(1200, seed: 7);
        SendFanOut(rig.Socket, datagram, rig.PeerAddresses);
        long before = GC.GetAllocatedBytesForCurrentThread();
        SendFanOut(rig.Socket, datagram, rig.PeerAddresses);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2, rig.Socket.Counters.SendBatches);
    }

    [Fact]
    public async Task DatagramsQueuedBeforeStart_AreTakenManyPerCallInOrderWithTheirSources()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 2);
        var handler = new QueueingDatagramHandler();
        int batch = new UdpMediaSocketOptions().ReceiveBatchSize;
        int count = (3 * batch) + 4;
        for (int i = 0; i < count; i++)
        {
            rig.Peers[i % 2].SendTo(Loopback.Payload(300, seed: i), rig.Socket.LocalEndPoint);
        }

        rig.Socket.Start(handler);
        for (int i = 0; i < count; i++)
        {
            ReceivedDatagram received = await handler.NextAsync();
            Assert.Equal(Loopback.Payload(300, seed: i), received.Bytes);
            Assert.Equal(rig.PeerAddresses[i % 2], received.Source);
        }

        Assert.True(rig.Socket.IsReceiveBatched);
        Assert.Equal(count, rig.Socket.Counters.DatagramsReceived);
        Assert.Equal(4, rig.Socket.Counters.ReceiveBatches);
    }

    [Fact]
    public async Task ReceiveWorker_KeepsReceivingIntactDatagramsAcrossFullCollections()
    {
        // Regression: the worker's mmsghdr, iovec and sockaddr arrays were only reachable through
        // raw pointers once set up, so a collection could free them under recvmmsg.
        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1);
        var handler = new QueueingDatagramHandler();
        rig.Socket.Start(handler);
        for (int round = 0; round < 5; round++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            _ = new byte[64 * 1024];
            rig.Peer.SendTo(Loopback.Payload(700, seed: round), rig.Socket.LocalEndPoint);

            ReceivedDatagram received = await handler.NextAsync();
            Assert.Equal(Loopback.Payload(700, seed: round), received.Bytes);
            Assert.Equal(rig.PeerAddresses[0], received.Source);
        }
    }

    [Fact]
    public async Task HostileDatagramsInABatch_AreDroppedAndCountedAndTheOthersDelivered()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1, blockSize: 512);
        var handler = new QueueingDatagramHandler();
        rig.Peer.SendTo("first"u8, rig.Socket.LocalEndPoint);
        rig.Peer.SendTo(new byte[9000], rig.Socket.LocalEndPoint);
        rig.Peer.SendTo(new byte[512], rig.Socket.LocalEndPoint);
        rig.Peer.SendTo(Array.Empty<byte>(), rig.Socket.LocalEndPoint);
        rig.Peer.SendTo("last"u8, rig.Socket.LocalEndPoint);
        rig.Socket.Start(handler);

        Assert.Equal("first"u8.ToArray(), (await handler.NextAsync()).Bytes);
        Assert.Empty((await handler.NextAsync()).Bytes);
        Assert.Equal("last"u8.ToArray(), (await handler.NextAsync()).Bytes);
        Assert.Equal(2, rig.Socket.Counters.DroppedOversized);
        Assert.Equal(1, rig.Socket.Counters.ReceiveBatches);
    }

    [Fact]
    public async Task WhatTheHandlerSendsInAnswerToOneDatagram_LeavesInOneCall()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 5);
        using var publisher = Loopback.CreateSocket();
        rig.Socket.Start(new FanOutHandler(rig.Socket, rig.PeerAddresses));

        publisher.SendTo("frame 1"u8, rig.Socket.LocalEndPoint);
        foreach (var viewer in rig.Peers)
        {
            Assert.Equal("frame 1"u8.ToArray(), Loopback.Receive(viewer));
        }

        publisher.SendTo("frame 2"u8, rig.Socket.LocalEndPoint);
        foreach (var viewer in rig.Peers)
        {
            Assert.Equal("frame 2"u8.ToArray(), Loopback.Receive(viewer));
        }

        // Counted just after sendmmsg returns, which may be after the viewers have read.
        await Loopback.Eventually(() => rig.Socket.Counters.DatagramsSent == 10, "both fan-outs to be counted");
        Assert.Equal(2, rig.Socket.Counters.SendBatches);
    }

    private static void SendFanOut(UdpMediaSocket socket, byte[] datagram, StunTransportAddress[] addresses)
    {
        using UdpSendBatchScope scope = UdpSendBatchScope.Open();
        for (int i = 0; i < addresses.Length; i++)
        {
            socket.TrySend(datagram, addresses[i]);
        }
    }
}
