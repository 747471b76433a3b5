using System.Net.Sockets;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>
/// The same forwarding, one packet in and a copy out to each viewer from inside the receive worker as
/// the media fan-out does, through every path the socket can take: one system call per datagram,
/// recvmmsg and sendmmsg, and the batched path when the calls fail as an old kernel, a signal, a
/// non-blocking descriptor or a failing device make them (through <see cref="StandInBatchedSocketCalls"/>,
/// over real loopback sockets).
/// </summary>
public sealed class UdpMediaSocketFallbackTests
{
    public enum UdpPath
    {
        OneCallPerDatagram,
        Batched,
        BatchedOnAKernelWithoutMmsg,
        BatchedOnAKernelWithoutRecvmmsg,
        BatchedWithSendmmsgTakingTwoAtATime,
        BatchedWithInterruptedCalls,
    }

    private const int Packets = 20;
    private const int Viewers = 5;

    [Theory]
    [InlineData(UdpPath.OneCallPerDatagram)]
    [InlineData(UdpPath.Batched)]
    [InlineData(UdpPath.BatchedOnAKernelWithoutMmsg)]
    [InlineData(UdpPath.BatchedOnAKernelWithoutRecvmmsg)]
    [InlineData(UdpPath.BatchedWithSendmmsgTakingTwoAtATime)]
    [InlineData(UdpPath.BatchedWithInterruptedCalls)]
    public async Task Forwarding_DeliversEveryPacketToEveryViewerIntactAndInOrder(UdpPath path)
    {
        if (path != UdpPath.OneCallPerDatagram && !OperatingSystem.IsLinux())
        {
            return;
        }

        StandInBatchedSocketCalls calls = path switch
        {
            UdpPath.BatchedOnAKernelWithoutMmsg => StandInBatchedSocketCalls.Unavailable(),
            UdpPath.BatchedOnAKernelWithoutRecvmmsg => new StandInBatchedSocketCalls { ReceiveErrno = LinuxSocketCalls.ENoSys, ReceiveFailures = int.MaxValue },
            UdpPath.BatchedWithSendmmsgTakingTwoAtATime => new StandInBatchedSocketCalls { MaxDatagramsPerSend = 2 },
            UdpPath.BatchedWithInterruptedCalls => new StandInBatchedSocketCalls
            {
                SendErrno = LinuxSocketCalls.EIntr,
                SendFailures = 3,
                ReceiveErrno = LinuxSocketCalls.EIntr,
                ReceiveFailures = 3,
            },
            _ => new StandInBatchedSocketCalls(),
        };
        await using var rig = MediaSocketRig.Create(batchedIo: path != UdpPath.OneCallPerDatagram, peers: Viewers, calls: calls);
        using Socket publisher = Loopback.CreateSocket();
        rig.Socket.Start(new FanOutHandler(rig.Socket, rig.PeerAddresses));

        for (int i = 0; i < Packets; i++)
        {
            publisher.SendTo(Loopback.Payload(1200, seed: i), rig.Socket.LocalEndPoint);
        }

        for (int i = 0; i < Packets; i++)
        {
            foreach (Socket viewer in rig.Peers)
            {
                Assert.Equal(Loopback.Payload(1200, seed: i), Loopback.Receive(viewer));
            }
        }

        await Loopback.Eventually(() => rig.Socket.Counters.DatagramsSent == Packets * Viewers, "every copy to be counted");
        UdpSocketCounters counters = rig.Socket.Counters;
        Assert.Equal(Packets, counters.DatagramsReceived);
        Assert.Equal(0, counters.SendErrors);
        Assert.Equal(0, counters.ReceiveErrors);
        Assert.Equal(0, counters.HandlerErrors);
        switch (path)
        {
            case UdpPath.OneCallPerDatagram:
                Assert.Equal(0, calls.SendCalls + calls.ReceiveCalls);
                Assert.Equal((0, 0L, 0L), (BatchedFlags(rig.Socket), counters.SendBatches, counters.ReceiveBatches));
                break;
            case UdpPath.Batched:
                Assert.Equal((3, (long)Packets), (BatchedFlags(rig.Socket), counters.SendBatches));
                Assert.InRange(counters.ReceiveBatches, 1, Packets);
                break;
            case UdpPath.BatchedOnAKernelWithoutMmsg:
                // Each call was tried once, answered ENOSYS and never tried again.
                Assert.Equal((1, 1), (calls.SendCalls, calls.ReceiveCalls));
                Assert.Equal((0, 0L, 0L), (BatchedFlags(rig.Socket), counters.SendBatches, counters.ReceiveBatches));
                break;
            case UdpPath.BatchedOnAKernelWithoutRecvmmsg:
                // One datagram per recvfrom, but each fan-out still leaves in one sendmmsg.
                Assert.Equal((1, (long)Packets, 0L), (BatchedFlags(rig.Socket), counters.SendBatches, counters.ReceiveBatches));
                Assert.Equal(1, calls.ReceiveCalls);
                break;
            case UdpPath.BatchedWithSendmmsgTakingTwoAtATime:
                // Five copies of each packet leave in calls of two, two and one.
                Assert.Equal((3, 3L * Packets), (BatchedFlags(rig.Socket), counters.SendBatches));
                break;
            case UdpPath.BatchedWithInterruptedCalls:
                Assert.Equal((3, (long)Packets), (BatchedFlags(rig.Socket), counters.SendBatches));
                Assert.Equal(Packets + 3, calls.SendCalls);
                break;
        }
    }

    [Fact]
    public async Task KernelWithoutRecvmmsg_WorkerReturnsItsRingOfLeasesAndGoesOnWithOne()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1, calls: StandInBatchedSocketCalls.Unavailable());
        var handler = new QueueingDatagramHandler();
        rig.Socket.Start(handler);

        await Loopback.Eventually(() => !rig.Socket.IsReceiveBatched && rig.Pool.Outstanding == 1, "the worker to fall back to recvfrom with one lease");
        rig.Peer.SendTo("after the fallback"u8, rig.Socket.LocalEndPoint);
        Assert.Equal("after the fallback"u8.ToArray(), (await handler.NextAsync()).Bytes);
        Assert.True(rig.Socket.IsSendBatched, "sendmmsg has not been tried yet");
    }

    [Fact]
    public async Task SendmmsgThatWouldBlock_SendsThatDatagramAloneAndBatchesTheRest()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var calls = new StandInBatchedSocketCalls { SendErrno = LinuxSocketCalls.EAgain, SendFailures = 1 };
        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 3, calls: calls);
        using (UdpSendBatchScope.Open())
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.True(rig.Socket.TrySend(Loopback.Payload(500, seed: i), rig.PeerAddresses[i]));
            }
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Loopback.Payload(500, seed: i), Loopback.Receive(rig.Peers[i]));
        }

        Assert.Equal(3, rig.Socket.Counters.DatagramsSent);
        Assert.Equal(1, rig.Socket.Counters.SendBatches);
        Assert.Equal(0, rig.Socket.Counters.SendErrors);
        Assert.True(rig.Socket.IsSendBatched);
    }

    [Fact]
    public async Task SendmmsgFailingWithADeviceError_DropsAndCountsOnlyTheDatagramItStoppedAt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ENoBufs = 105;
        var calls = new StandInBatchedSocketCalls { SendErrno = ENoBufs, SendFailures = 1 };
        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 3, calls: calls);
        using (UdpSendBatchScope.Open())
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.True(rig.Socket.TrySend(Loopback.Payload(500, seed: i), rig.PeerAddresses[i]));
            }
        }

        Assert.Equal(Loopback.Payload(500, seed: 1), Loopback.Receive(rig.Peers[1]));
        Assert.Equal(Loopback.Payload(500, seed: 2), Loopback.Receive(rig.Peers[2]));
        Assert.Equal(0, rig.Peers[0].Available);
        Assert.Equal((1L, 2L, 1L), (rig.Socket.Counters.SendErrors, rig.Socket.Counters.DatagramsSent, rig.Socket.Counters.SendBatches));
        Assert.True(rig.Socket.IsSendBatched);
    }

    [Fact]
    public async Task RecvmmsgFailingAFewTimes_IsCountedAndTheWorkerGoesOn()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ENoMem = 12;
        var calls = new StandInBatchedSocketCalls { ReceiveErrno = ENoMem, ReceiveFailures = 2 };
        await using var rig = MediaSocketRig.Create(batchedIo: true, peers: 1, calls: calls);
        var handler = new QueueingDatagramHandler();
        rig.Socket.Start(handler);

        rig.Peer.SendTo("still here"u8, rig.Socket.LocalEndPoint);

        Assert.Equal("still here"u8.ToArray(), (await handler.NextAsync()).Bytes);
        Assert.Equal(2, rig.Socket.Counters.ReceiveErrors);
        Assert.True(rig.Socket.IsReceiveBatched);
    }

    [Fact]
    public async Task RecvmmsgFailingForGood_FaultsCompletionAfterTheConfiguredRunOfErrorsAndReturnsItsLeases()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ENoMem = 12;
        var calls = new StandInBatchedSocketCalls { ReceiveErrno = ENoMem, ReceiveFailures = int.MaxValue };
        await using var rig = MediaSocketRig.Create(batchedIo: true, calls: calls, maxConsecutiveReceiveErrors: 3);
        rig.Socket.Start(new QueueingDatagramHandler());

        await Assert.ThrowsAsync<SocketException>(() => rig.Socket.Completion.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(3, rig.Socket.Counters.ReceiveErrors);
        Assert.Equal(0, rig.Pool.Outstanding);
    }

    // 1 if sends are batched, 2 if receives are, 3 for both.
    private static int BatchedFlags(UdpMediaSocket socket) => (socket.IsSendBatched ? 1 : 0) | (socket.IsReceiveBatched ? 2 : 0);
}
