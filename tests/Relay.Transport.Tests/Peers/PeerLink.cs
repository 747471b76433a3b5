using System.Diagnostics;
using System.Net;
using Relay.Protocols.Buffers;
using Relay.Testing.Buffers;
using Relay.Testing.Peers;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Tests.Dtls;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Peers;

/// <summary>
/// A server peer transport on an ICE-lite server and a client peer transport, each on its own UDP
/// socket on 127.0.0.1, with a background loop calling <see cref="PeerTransport.Poll"/> on both.
/// </summary>
internal sealed class PeerLink : IAsyncDisposable
{
    private static readonly IceCredentials s_clientCredentials = IceCredentials.Create("PeerCli1", "PeerClientPasswordPeerCli");

    private readonly CancellationTokenSource _stopPolling = new();
    private readonly Task _polling;
    private bool _disposed;

    public PeerLink(PacketBufferPool? serverPool = null, PacketBufferPool? clientPool = null, DtlsFingerprint? clientExpects = null, bool serverIsDtlsClient = false)
    {
        ServerPool = serverPool ?? new LeakCheckingPacketBufferPool();
        ClientPool = clientPool ?? new LeakCheckingPacketBufferPool();
        ServerSocket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, ServerPool);
        IceServer = new IceLiteServer(ServerSocket);
        Server = PeerTransport.CreateServer(
            IceServer,
            new DtlsTransportOptions
            {
                Role = serverIsDtlsClient ? DtlsRole.Client : DtlsRole.Server,
                Certificate = TestCertificates.Server,
                RemoteFingerprint = TestCertificates.Client.Fingerprint,
            },
            ServerHandler,
            s_clientCredentials.Ufrag);
        ServerSocket.Start(IceServer);

        ClientSocket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, ClientPool);
        ClientSender = new GatedSender(ClientSocket);
        Client = PeerTransport.CreateClient(
            ClientSender,
            ServerSocket.LocalAddress,
            s_clientCredentials,
            Server.LocalIceCredentials,
            new DtlsTransportOptions
            {
                Role = serverIsDtlsClient ? DtlsRole.Server : DtlsRole.Client,
                Certificate = TestCertificates.Client,
                RemoteFingerprint = clientExpects ?? TestCertificates.Server.Fingerprint,
            },
            ClientHandler);
        ClientSocket.Start(Client);
        _polling = Task.Run(PollAsync);
    }

    public PacketBufferPool ServerPool { get; }

    public PacketBufferPool ClientPool { get; }

    public UdpMediaSocket ServerSocket { get; }

    public IceLiteServer IceServer { get; }

    public PeerTransport Server { get; }

    public RecordingPeerHandler ServerHandler { get; } = new();

    public UdpMediaSocket ClientSocket { get; }

    public GatedSender ClientSender { get; }

    public PeerTransport Client { get; }

    public RecordingPeerHandler ClientHandler { get; } = new();

    public static async Task<PeerLink> ConnectAsync(PacketBufferPool? serverPool = null, PacketBufferPool? clientPool = null, bool serverIsDtlsClient = false)
    {
        var link = new PeerLink(serverPool, clientPool, serverIsDtlsClient: serverIsDtlsClient);
        link.Client.Start();
        await Eventually(
            () => link.Server.State == PeerTransportState.Connected && link.Client.State == PeerTransportState.Connected,
            () => $"both connected (server {link.Server.State} {link.Server.Reason}, client {link.Client.State} {link.Client.Reason})");
        return link;
    }

    /// <summary>Waits, at most 10 s, for a condition the sockets' workers make true.</summary>
    public static async Task Eventually(Func<bool> condition, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail($"Timed out waiting for: {what()}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Stops the sockets and polling first, so nothing is delivered to a disposed transport, then checks the pools.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopPolling.CancelAsync();
        await _polling;
        await ClientSocket.DisposeAsync();
        await ServerSocket.DisposeAsync();
        Client.Dispose();
        Server.Dispose();
        IceServer.Dispose();
        _stopPolling.Dispose();
        (ServerPool as LeakCheckingPacketBufferPool)?.AssertClean();
        (ClientPool as LeakCheckingPacketBufferPool)?.AssertClean();
    }

    private async Task PollAsync()
    {
        while (!_stopPolling.IsCancellationRequested)
        {
            long now = TimeProvider.System.GetTimestamp();
            Server.Poll(now);
            Client.Poll(now);
            try
            {
                await Task.Delay(5, _stopPolling.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
