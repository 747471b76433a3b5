using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Srtp;
using Relay.Transport.Ice;
using Relay.Transport.Peers;

namespace Relay.Transport.Tests.Peers;

/// <summary>
/// After a real handshake over loopback UDP, the packet paths allocate nothing: a lease in,
/// unprotected in place, handed to the handler; and a plaintext packet protected and sent. The
/// receive path is called directly on the test thread with leases from the production pool.
/// </summary>
public class PeerTransportAllocationTests
{
    private const uint ClientSsrc = 0x0A0B0C0D;
    private const int Warmup = 1000;
    private const int Measured = 5000;

    [Fact]
    public async Task ReceivingSrtpAndSrtcp_AllocatesNothing()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        link.ServerHandler.Copy = false;
        link.ClientSender.CaptureMedia = true;
        var buffer = new byte[1500];
        for (int i = 0; i < Warmup + Measured; i++)
        {
            int length = TestMedia.WriteRtp(buffer, (ushort)i, ClientSsrc);
            Assert.Equal(SrtpError.None, link.Client.SendRtp(buffer, length));
            length = TestMedia.WriteReceiverReport(buffer, ClientSsrc, 1, (uint)i);
            Assert.Equal(SrtpError.None, link.Client.SendRtcp(buffer, length));
        }

        byte[][] packets = link.ClientSender.Captured.ToArray();
        Assert.Equal(2 * (Warmup + Measured), packets.Length);
        var pool = new PinnedPacketBufferPool();
        IIceLiteAgentHandler receiver = link.Server;
        IceLiteAgent agent = link.Server.IceLiteAgent!;

        for (int i = 0; i < 2 * Warmup; i++)
        {
            Deliver(receiver, agent, pool, packets[i]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 2 * Warmup; i < packets.Length; i++)
        {
            Deliver(receiver, agent, pool, packets[i]);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Warmup + Measured, link.ServerHandler.RtpCount);
        Assert.Equal(Warmup + Measured, link.ServerHandler.RtcpCount);
        Assert.Equal(Warmup + Measured, link.Server.Counters.RtpPacketsIn);
    }

    [Fact]
    public async Task SendingRtpAndRtcp_AllocatesNothing()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        link.ClientHandler.Copy = false;
        var buffer = new byte[1500];
        for (int i = 0; i < Warmup; i++)
        {
            Send(link.Server, buffer, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = Warmup; i < Warmup + Measured; i++)
        {
            Send(link.Server, buffer, i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Warmup + Measured, link.Server.Counters.RtpPacketsOut);
        Assert.Equal(Warmup + Measured, link.Server.Counters.RtcpPacketsOut);
        Assert.Equal(0, link.Server.Counters.SendFailures);
    }

    private static void Deliver(IIceLiteAgentHandler receiver, IceLiteAgent agent, PinnedPacketBufferPool pool, byte[] datagram)
    {
        PacketLease lease = pool.Rent();
        datagram.CopyTo(lease.Buffer);
        lease.SetLength(datagram.Length);
        receiver.OnDatagram(agent, lease, PacketClassifier.Classify(lease.Span));
    }

    private static void Send(PeerTransport peer, byte[] buffer, int i)
    {
        int length = TestMedia.WriteRtp(buffer, (ushort)i, 0x01020304);
        SrtpError rtp = peer.SendRtp(buffer, length);
        length = TestMedia.WriteReceiverReport(buffer, 0x01020304, ClientSsrc, (uint)i);
        SrtpError rtcp = peer.SendRtcp(buffer, length);
        if (rtp != SrtpError.None || rtcp != SrtpError.None)
        {
            Assert.Fail($"protect failed: {rtp}, {rtcp}");
        }
    }
}
