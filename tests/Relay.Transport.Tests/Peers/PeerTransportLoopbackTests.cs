using Relay.Protocols.Srtp;
using Relay.Testing.Buffers;
using Relay.Transport.Peers;
using Relay.Transport.Tests.Dtls;

namespace Relay.Transport.Tests.Peers;

/// <summary>
/// A server and a client peer transport over real UDP on 127.0.0.1: ICE, DTLS and SRTP end to end,
/// with leak-checking pools on both sockets (checked when the link is disposed).
/// </summary>
public class PeerTransportLoopbackTests
{
    private const uint ClientSsrc = 0x11223344;
    private const uint ServerSsrc = 0x55667788;

    [Fact]
    public async Task ClientRtp_ArrivesAtTheServerAsTheSamePlaintext()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        var buffer = new byte[1500];
        for (int i = 0; i < 1000; i++)
        {
            int length = TestMedia.WriteRtp(buffer, (ushort)(65000 + i), ClientSsrc);
            Assert.Equal(SrtpError.None, link.Client.SendRtp(buffer, length));
        }

        // Loopback UDP with 4 MB buffers loses nothing at this rate; wait for all of it.
        await PeerLink.Eventually(() => link.ServerHandler.RtpCount == 1000, () => $"1000 RTP packets, got {link.ServerHandler.RtpCount}");
        int index = 0;
        foreach (byte[] packet in link.ServerHandler.Rtp)
        {
            Assert.Equal(TestMedia.Rtp((ushort)(65000 + index), ClientSsrc), packet);
            index++;
        }

        Assert.Equal(1000, link.Client.Counters.RtpPacketsOut);
        Assert.Equal(1000, link.Server.Counters.RtpPacketsIn);
        Assert.Equal(link.Client.Counters.RtpBytesOut, link.Server.Counters.RtpBytesIn);
        Assert.Equal(1000L * (12 + TestMedia.RtpPayloadLength + link.Client.RtpTrailerLength), link.Server.Counters.RtpBytesIn);
    }

    [Fact]
    public async Task RtcpFlowsBothWays_AndServerRtpReachesTheClient()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        var buffer = new byte[1500];

        int length = TestMedia.WriteReceiverReport(buffer, ClientSsrc, ServerSsrc, 7);
        Assert.Equal(SrtpError.None, link.Client.SendRtcp(buffer, length));
        length = TestMedia.WriteReceiverReport(buffer, ServerSsrc, ClientSsrc, 9);
        Assert.Equal(SrtpError.None, link.Server.SendRtcp(buffer, length));
        for (int i = 0; i < 50; i++)
        {
            length = TestMedia.WriteRtp(buffer, (ushort)i, ServerSsrc);
            Assert.Equal(SrtpError.None, link.Server.SendRtp(buffer, length));
        }

        await PeerLink.Eventually(
            () => link.ServerHandler.RtcpCount == 1 && link.ClientHandler.RtcpCount == 1 && link.ClientHandler.RtpCount == 50,
            () => $"RTCP both ways and 50 RTP to the client (server RTCP {link.ServerHandler.RtcpCount}, client RTCP {link.ClientHandler.RtcpCount}, client RTP {link.ClientHandler.RtpCount})");
        Assert.Equal(TestMedia.ReceiverReport(ClientSsrc, ServerSsrc, 7), Assert.Single(link.ServerHandler.Rtcp));
        Assert.Equal(TestMedia.ReceiverReport(ServerSsrc, ClientSsrc, 9), Assert.Single(link.ClientHandler.Rtcp));
        Assert.Equal(TestMedia.Rtp(0, ServerSsrc), link.ClientHandler.Rtp.First());
        Assert.Equal(TestMedia.Rtp(49, ServerSsrc), link.ClientHandler.Rtp.Last());
        Assert.Equal(1, link.Server.Counters.RtcpPacketsOut);
        Assert.Equal(1, link.Client.Counters.RtcpPacketsIn);
    }

    [Fact]
    public async Task BothSidesReportConnected_WithTheNegotiatedProfile()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();

        Assert.Equal(SrtpProfile.AeadAes128Gcm, link.Server.SrtpProfile);
        Assert.Equal(SrtpProfile.AeadAes128Gcm, link.Client.SrtpProfile);
        Assert.Equal(16, link.Client.RtpTrailerLength);
        Assert.Contains(PeerTransportState.Connected, link.ServerHandler.States);
        Assert.Contains(PeerTransportState.Connected, link.ClientHandler.States);
        Assert.Null(link.Server.Reason);
    }

    [Fact]
    public async Task FingerprintMismatch_EndsInFailed_WithNoMediaDelivered()
    {
        await using var link = new PeerLink(clientExpects: TestCertificates.Other.Fingerprint);
        link.Client.Start();

        await PeerLink.Eventually(
            () => link.Client.State == PeerTransportState.Failed && link.Server.State == PeerTransportState.Failed,
            () => $"both failed (server {link.Server.State}, client {link.Client.State})");
        Assert.Contains("fingerprint", link.Client.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(link.Server.Reason);
        Assert.Throws<InvalidOperationException>(() => link.Client.SendRtp(new byte[200], 112));
        Assert.Equal(0, link.ServerHandler.RtpCount);
        Assert.Equal(0, link.ClientHandler.RtpCount);
        Assert.Equal(PeerTransportState.Failed, Assert.Single(link.ClientHandler.States, s => s >= PeerTransportState.Failed));
        Assert.Equal(PeerTransportState.Failed, Assert.Single(link.ServerHandler.States, s => s >= PeerTransportState.Failed));
    }

    [Fact]
    public async Task SrtpWithACorruptedTag_IsDroppedAndCounted()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        var buffer = new byte[1500];
        int length = TestMedia.WriteRtp(buffer, 1, ClientSsrc);
        link.Client.SendRtp(buffer, length);
        await PeerLink.Eventually(() => link.ServerHandler.RtpCount == 1, () => "the first packet");

        link.ClientSender.CorruptNextRtp();
        length = TestMedia.WriteRtp(buffer, 2, ClientSsrc);
        link.Client.SendRtp(buffer, length);
        await PeerLink.Eventually(
            () => link.Server.Counters.GetRtpDrops(SrtpError.AuthenticationFailed) == 1,
            () => "the corrupted packet counted");

        length = TestMedia.WriteRtp(buffer, 3, ClientSsrc);
        link.Client.SendRtp(buffer, length);
        await PeerLink.Eventually(() => link.ServerHandler.RtpCount == 2, () => "the packet after it");
        Assert.Equal([TestMedia.Rtp(1, ClientSsrc), TestMedia.Rtp(3, ClientSsrc)], link.ServerHandler.Rtp.ToArray());
        Assert.Equal(PeerTransportState.Connected, link.Server.State);
    }

    [Fact]
    public async Task RtpBeforeDtlsCompletes_IsDropped_ThenRetransmissionCompletesTheHandshake()
    {
        await using var link = new PeerLink();
        link.ClientSender.HoldDtls = true;
        link.Client.Start();
        await PeerLink.Eventually(() => link.Server.State == PeerTransportState.Connecting, () => "ICE nominated on the server");

        // Media before the handshake: RTP-shaped, straight from the client's socket on the selected pair.
        for (ushort i = 0; i < 5; i++)
        {
            link.ClientSocket.TrySend(TestMedia.Rtp(i, ClientSsrc), link.ServerSocket.LocalAddress);
        }

        await PeerLink.Eventually(() => link.Server.Counters.DroppedBeforeKeys == 5, () => $"5 early packets dropped, got {link.Server.Counters.DroppedBeforeKeys}");
        Assert.Equal(0, link.ServerHandler.RtpCount);

        // The ClientHello went nowhere; only Poll's retransmissions can finish the handshake now.
        link.ClientSender.HoldDtls = false;
        await PeerLink.Eventually(
            () => link.Server.State == PeerTransportState.Connected && link.Client.State == PeerTransportState.Connected,
            () => $"connected after retransmission (server {link.Server.State}, client {link.Client.State})");
        Assert.Equal(0, link.ServerHandler.RtpCount);
    }

    [Fact]
    public async Task Disposing_ReportsClosedOnce_AndTheServerHearsCloseNotify()
    {
        var serverPool = new LeakCheckingPacketBufferPool();
        await using PeerLink link = await PeerLink.ConnectAsync(serverPool);

        link.Client.Dispose();

        await PeerLink.Eventually(() => link.Server.State == PeerTransportState.Closed, () => $"server closed, is {link.Server.State}");
        Assert.Equal(PeerTransportState.Closed, Assert.Single(link.ClientHandler.States, s => s >= PeerTransportState.Failed));
        Assert.Contains("DTLS closed", link.Server.Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => link.Client.SendRtp(new byte[200], 112));
    }

    [Fact]
    public async Task ServerAsDtlsClient_AlsoConnects_AndCarriesMediaBothWays()
    {
        // The ICE-lite side's ClientHello leaves on nomination and can reach the client before its
        // check response does; the client drops it then, and Poll's retransmission gets through.
        await using PeerLink link = await PeerLink.ConnectAsync(serverIsDtlsClient: true);
        var buffer = new byte[1500];
        int length = TestMedia.WriteRtp(buffer, 10, ClientSsrc);
        Assert.Equal(SrtpError.None, link.Client.SendRtp(buffer, length));
        length = TestMedia.WriteRtp(buffer, 20, ServerSsrc);
        Assert.Equal(SrtpError.None, link.Server.SendRtp(buffer, length));

        await PeerLink.Eventually(
            () => link.ServerHandler.RtpCount == 1 && link.ClientHandler.RtpCount == 1,
            () => "one RTP packet each way");
        Assert.Equal(TestMedia.Rtp(10, ClientSsrc), Assert.Single(link.ServerHandler.Rtp));
        Assert.Equal(TestMedia.Rtp(20, ServerSsrc), Assert.Single(link.ClientHandler.Rtp));
    }

    [Fact]
    public async Task SendRtp_WithoutRoomForTheTag_ReturnsBufferTooSmall_AndSendsNothing()
    {
        await using PeerLink link = await PeerLink.ConnectAsync();
        byte[] packet = TestMedia.Rtp(1, ClientSsrc);

        Assert.Equal(SrtpError.BufferTooSmall, link.Client.SendRtp(packet, packet.Length));

        Assert.Equal(1, link.Client.Counters.GetProtectFailures(SrtpError.BufferTooSmall));
        Assert.Equal(0, link.Client.Counters.RtpPacketsOut);
        Assert.Equal(TestMedia.Rtp(1, ClientSsrc), packet);
    }
}
