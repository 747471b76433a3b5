using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Testing.Buffers;
using Relay.Testing.Peers;
using ManualTimeProvider = Relay.Testing.Time.ManualTimeProvider;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Tests.Dtls;
using Relay.Transport.Tests.Ice;

namespace Relay.Transport.Tests.Peers;

/// <summary>
/// A server-role transport driven without sockets, on a manual clock: checks arrive through the
/// ICE-lite server's handler, and consent and DTLS timers run only when the test advances time.
/// </summary>
public class PeerTransportLifecycleTests
{
    [Fact]
    public void Nomination_StartsDtls_AndMovesToConnecting()
    {
        using var f = new Fixture();

        f.Nominate();

        Assert.Equal(PeerTransportState.Connecting, f.Peer.State);
        Assert.Equal([PeerTransportState.Connecting], f.Handler.States);
        Assert.NotEqual(long.MaxValue, f.Peer.NextTimeoutTimestamp);
    }

    [Fact]
    public void ConsentLost_EndsInFailed_ReportedOnce()
    {
        using var f = new Fixture();
        f.Nominate();

        f.Time.Advance(TimeSpan.FromSeconds(31));
        f.Time.Advance(TimeSpan.FromSeconds(31));
        f.Peer.Poll(f.Time.GetTimestamp());

        Assert.Equal(PeerTransportState.Failed, f.Peer.State);
        Assert.Contains("consent", f.Peer.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([PeerTransportState.Connecting, PeerTransportState.Failed], f.Handler.States);
        Assert.Equal(long.MaxValue, f.Peer.NextTimeoutTimestamp);
    }

    [Fact]
    public void Poll_FailsTheHandshakeAtItsTimeLimit_WhenNoClientHelloComes()
    {
        using var f = new Fixture(new IceLiteServerOptions { ConsentTimeout = TimeSpan.FromMinutes(10) });
        f.Nominate();

        f.Peer.Poll(f.Time.GetTimestamp());
        Assert.Equal(PeerTransportState.Connecting, f.Peer.State);
        f.Time.Advance(TimeSpan.FromSeconds(31));
        f.Peer.Poll(f.Time.GetTimestamp());

        Assert.Equal(PeerTransportState.Failed, f.Peer.State);
        Assert.StartsWith("DTLS failed", f.Peer.Reason, StringComparison.Ordinal);
        Assert.Equal([PeerTransportState.Connecting, PeerTransportState.Failed], f.Handler.States);
    }

    [Fact]
    public void MediaBeforeKeys_IsDroppedCountedAndReleased()
    {
        using var f = new Fixture();
        f.Nominate();

        f.Deliver(TestMedia.Rtp(1, 5), PacketKind.Rtp);
        f.Deliver(TestMedia.ReceiverReport(5, 6, 7), PacketKind.Rtcp);

        Assert.Equal(2, f.Peer.Counters.DroppedBeforeKeys);
        Assert.Equal(0, f.Handler.RtpCount + f.Handler.RtcpCount);
        Assert.Equal(0, f.Pool.Outstanding);
    }

    [Fact]
    public void MediaAfterFailure_IsCountedAsAfterTheEnd()
    {
        using var f = new Fixture();
        f.Nominate();
        f.Time.Advance(TimeSpan.FromSeconds(62));

        f.Deliver(TestMedia.Rtp(1, 5), PacketKind.Rtp);

        Assert.Equal(1, f.Peer.Counters.DroppedAfterEnd);
        Assert.Equal(0, f.Pool.Outstanding);
    }

    [Fact]
    public void SendingBeforeConnected_Throws_AndServerRoleHasNoStart()
    {
        using var f = new Fixture();

        Assert.Throws<InvalidOperationException>(() => f.Peer.SendRtp(new byte[200], 112));
        Assert.Throws<InvalidOperationException>(() => f.Peer.SendRtcp(new byte[200], 32));
        Assert.Throws<InvalidOperationException>(f.Peer.Start);
        Assert.Equal(PeerTransport.MaxTrailerLength, f.Peer.RtpTrailerLength);
        Assert.Null(f.Peer.SrtpProfile);
    }

    [Fact]
    public void Dispose_ReportsClosedOnce_AndUnregistersTheAgent()
    {
        using var f = new Fixture();
        f.Nominate();

        f.Peer.Dispose();
        f.Peer.Dispose();

        Assert.Equal(PeerTransportState.Closed, f.Peer.State);
        Assert.Equal([PeerTransportState.Connecting, PeerTransportState.Closed], f.Handler.States);
        Assert.Equal(0, f.Server.AgentCount);
    }

    [Fact]
    public void ClientRole_WithNoAnswerToItsCheck_EndsInFailed()
    {
        var time = new ManualTimeProvider();
        var sender = new RecordingSender();
        var handler = new RecordingPeerHandler();
        using PeerTransport client = PeerTransport.CreateClient(
            sender,
            TestRequests.OtherClientAddress,
            TestRequests.Client,
            TestRequests.Server,
            new DtlsTransportOptions
            {
                Role = DtlsRole.Client,
                Certificate = TestCertificates.Client,
                RemoteFingerprint = TestCertificates.Server.Fingerprint,
            },
            handler,
            timeProvider: time);

        client.Start();
        for (int i = 0; i < 100 && client.State != PeerTransportState.Failed; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(PeerTransportState.Failed, client.State);
        Assert.StartsWith("ICE failed", client.Reason, StringComparison.Ordinal);
        Assert.Equal([PeerTransportState.Connecting, PeerTransportState.Failed], handler.States);
        Assert.Equal(30, sender.Count);
        Assert.Equal(0, client.Counters.DtlsDatagramsOut);
    }

    private sealed class Fixture : IDisposable
    {
        public Fixture(IceLiteServerOptions? options = null)
        {
            Server = new IceLiteServer(Sender, options, Time);
            Peer = PeerTransport.CreateServer(
                Server,
                new DtlsTransportOptions
                {
                    Role = DtlsRole.Server,
                    Certificate = TestCertificates.Server,
                    RemoteFingerprint = TestCertificates.Client.Fingerprint,
                },
                Handler,
                TestRequests.Client.Ufrag,
                Time);
        }

        public ManualTimeProvider Time { get; } = new();

        public RecordingSender Sender { get; } = new();

        public LeakCheckingPacketBufferPool Pool { get; } = new();

        public IceLiteServer Server { get; }

        public PeerTransport Peer { get; }

        public RecordingPeerHandler Handler { get; } = new();

        public void Nominate() =>
            Server.OnDatagram(Lease(TestRequests.Binding(useCandidate: true, server: Peer.LocalIceCredentials)), TestRequests.ClientAddress);

        public void Deliver(byte[] datagram, PacketKind kind) =>
            ((IIceLiteAgentHandler)Peer).OnDatagram(Peer.IceLiteAgent!, Lease(datagram), kind);

        public void Dispose()
        {
            Peer.Dispose();
            Server.Dispose();
            Pool.Dispose();
        }

        private PacketLease Lease(byte[] datagram)
        {
            PacketLease lease = Pool.Rent();
            datagram.CopyTo(lease.Buffer);
            lease.SetLength(datagram.Length);
            return lease;
        }
    }
}
