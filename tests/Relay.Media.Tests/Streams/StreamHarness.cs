using System.Diagnostics;
using System.Globalization;
using System.Net;
using Relay.Media.Streams;
using Relay.Protocols.Buffers;
using Relay.Testing.Buffers;
using Relay.Testing.Peers;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Udp;

namespace Relay.Media.Tests.Streams;

/// <summary>
/// A relay side (one UDP socket on 127.0.0.1 with an ICE-lite server, and a <see cref="MediaStream"/>)
/// and client peers (publisher, viewers), each a client-role <see cref="PeerTransport"/> on a socket of
/// its own: ICE, DTLS and SRTP end to end. A background loop polls every transport's DTLS timers. The
/// stream's clock is the test's <see cref="Time"/>: it moves only when the test says, and
/// <see cref="MediaStream.Tick"/> runs only when the test calls it.
/// </summary>
internal sealed class StreamHarness : IAsyncDisposable
{
    private static readonly DtlsCertificate s_relayCertificate = DtlsCertificate.Generate("relay");
    private static readonly DtlsCertificate s_peerCertificate = DtlsCertificate.Generate("peer");

    private readonly CancellationTokenSource _stopPolling = new();
    private readonly Task _polling;
    private readonly List<TestPeer> _peers = [];
    private readonly Lock _peersLock = new();
    private int _nextPeer;
    private bool _disposed;

    public StreamHarness(MediaStreamOptions? options = null, IRecordingTap? recordingTap = null, Action<string>? stateChanged = null)
    {
        RelaySocket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, RelayPool);
        IceServer = new IceLiteServer(RelaySocket);
        RelaySocket.Start(IceServer);
        Stream = new MediaStream("stream-1", options ?? new MediaStreamOptions(), RelayPool, Time, recordingTap, stateChanged);
        _polling = Task.Run(PollAsync);
    }

    public LeakCheckingPacketBufferPool RelayPool { get; } = new();

    public LeakCheckingPacketBufferPool PeerPool { get; } = new();

    public ManualTimeProvider Time { get; } = new();

    public UdpMediaSocket RelaySocket { get; }

    public IceLiteServer IceServer { get; }

    public MediaStream Stream { get; }

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

            await Task.Delay(2);
        }
    }

    public async Task<(MediaPublisher Publisher, TestPeer Peer)> ConnectPublisherAsync(params PublishedTrack[] tracks)
    {
        MediaPublisher publisher = Stream.AttachPublisher(tracks);
        TestPeer peer = await ConnectAsync(publisher, t => publisher.Bind(t));
        return (publisher, peer);
    }

    public async Task<(MediaSubscriber Subscriber, TestPeer Peer)> ConnectViewerAsync(params SubscribedTrack[] tracks)
    {
        MediaSubscriber subscriber = Stream.AddSubscriber(tracks);
        TestPeer peer = await ConnectAsync(subscriber, t => subscriber.Bind(t));
        return (subscriber, peer);
    }

    /// <summary>Stops the sockets and polling, ends the stream, then checks both pools for leaks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopPolling.CancelAsync();
        await _polling;
        TestPeer[] peers;
        lock (_peersLock)
        {
            peers = [.. _peers];
        }

        foreach (TestPeer peer in peers)
        {
            await peer.Socket.DisposeAsync();
        }

        await RelaySocket.DisposeAsync();
        foreach (TestPeer peer in peers)
        {
            peer.Transport.Dispose();
        }

        Stream.Dispose();
        IceServer.Dispose();
        _stopPolling.Dispose();
        RelayPool.AssertClean();
        PeerPool.AssertClean();
    }

    private async Task<TestPeer> ConnectAsync(IPeerMediaHandler relayHandler, Action<PeerTransport> bind)
    {
        int n = Interlocked.Increment(ref _nextPeer);
        var credentials = IceCredentials.Create(
            "Peer" + n.ToString("D4", CultureInfo.InvariantCulture),
            "PeerPasswordForTheTests" + n.ToString("D6", CultureInfo.InvariantCulture));
        PeerTransport relaySide = PeerTransport.CreateServer(
            IceServer,
            new DtlsTransportOptions { Role = DtlsRole.Server, Certificate = s_relayCertificate, RemoteFingerprint = s_peerCertificate.Fingerprint },
            relayHandler,
            credentials.Ufrag);
        bind(relaySide);

        var socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, PeerPool);
        var handler = new RecordingPeerHandler();
        PeerTransport transport = PeerTransport.CreateClient(
            socket,
            RelaySocket.LocalAddress,
            credentials,
            relaySide.LocalIceCredentials,
            new DtlsTransportOptions { Role = DtlsRole.Client, Certificate = s_peerCertificate, RemoteFingerprint = s_relayCertificate.Fingerprint },
            handler);
        socket.Start(transport);
        var peer = new TestPeer(socket, transport, handler, relaySide);
        lock (_peersLock)
        {
            _peers.Add(peer);
        }

        transport.Start();
        await Eventually(
            () => relaySide.State == PeerTransportState.Connected && transport.State == PeerTransportState.Connected,
            () => $"peer {n} connected (relay side {relaySide.State} {relaySide.Reason}, peer {transport.State} {transport.Reason})");
        return peer;
    }

    private async Task PollAsync()
    {
        while (!_stopPolling.IsCancellationRequested)
        {
            long now = TimeProvider.System.GetTimestamp();
            TestPeer[] peers;
            lock (_peersLock)
            {
                peers = [.. _peers];
            }

            foreach (TestPeer peer in peers)
            {
                peer.Transport.Poll(now);
                peer.RelaySide.Poll(now);
            }

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

/// <summary>A client peer: its socket, transport and what it received; and the relay's transport for it.</summary>
internal sealed record TestPeer(UdpMediaSocket Socket, PeerTransport Transport, RecordingPeerHandler Handler, PeerTransport RelaySide);
