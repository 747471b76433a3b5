using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Srtp;
using Relay.Testing;
using Relay.Testing.Buffers;
using Relay.Transport.Ice;
using Relay.Transport.Peers;

namespace Relay.Transport.Tests.Peers;

/// <summary>
/// Mangled SRTP, SRTCP and DTLS reaching a connected server transport never throw, never reach the
/// handler unauthenticated, and every lease is released.
/// </summary>
public class PeerTransportHostileInputTests
{
    [Fact]
    public async Task TruncatedAndCorruptedDatagrams_AreDroppedWithoutThrowingOrLeaking()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        link.ClientSender.CaptureMedia = true;
        var buffer = new byte[1500];
        int length = TestMedia.WriteRtp(buffer, 1, 0x0BADF00D);
        link.Client.SendRtp(buffer, length);
        length = TestMedia.WriteReceiverReport(buffer, 0x0BADF00D, 1, 1);
        link.Client.SendRtcp(buffer, length);
        byte[][] valid = link.ClientSender.Captured.ToArray();
        Assert.Equal(2, valid.Length);

        using var pool = new LeakCheckingPacketBufferPool();
        IIceLiteAgentHandler receiver = link.Server;
        IceLiteAgent agent = link.Server.IceLiteAgent!;
        long delivered = 0;
        foreach (byte[] packet in valid)
        {
            foreach (byte[] truncated in HostileInput.Truncations(packet))
            {
                Deliver(receiver, agent, pool, truncated);
                delivered++;
            }

            foreach ((int _, byte[] corrupted) in HostileInput.Corruptions(packet, seeds: 50, perSeed: 20))
            {
                // An overwrite can put back the byte that was there: that copy is the real packet.
                if (corrupted.AsSpan().SequenceEqual(packet))
                {
                    continue;
                }

                Deliver(receiver, agent, pool, corrupted);
                delivered++;
            }
        }

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, link.ServerHandler.RtpCount + link.ServerHandler.RtcpCount);
        Assert.Equal(PeerTransportState.Connected, link.Server.State);
        Assert.True(link.Server.Counters.GetRtpDrops(SrtpError.AuthenticationFailed) > 0);
        Assert.True(link.Server.Counters.GetRtcpDrops(SrtpError.AuthenticationFailed) > 0);

        // The real packets still get through afterwards: nothing hostile moved the replay state.
        foreach (byte[] packet in valid)
        {
            Deliver(receiver, agent, pool, packet);
        }

        Assert.Equal(1, link.ServerHandler.RtpCount);
        Assert.Equal(1, link.ServerHandler.RtcpCount);
        Assert.True(delivered > 1000);
    }

    private static void Deliver(IIceLiteAgentHandler receiver, IceLiteAgent agent, LeakCheckingPacketBufferPool pool, byte[] datagram)
    {
        PacketLease lease = pool.Rent();
        datagram.CopyTo(lease.Buffer);
        lease.SetLength(datagram.Length);
        receiver.OnDatagram(agent, lease, PacketClassifier.Classify(lease.Span));
    }
}
