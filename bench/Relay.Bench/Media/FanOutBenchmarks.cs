using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using Relay.Media.Streams;
using Relay.Protocols.Buffers;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Udp;

namespace Relay.Bench.Media;

/// <summary>
/// One ~1200-byte VP8 publisher packet through the fan-out to N viewers: cached for NACKs, then for each
/// viewer copied, rewritten (SSRC, payload type, sequence number, timestamp), SRTP-protected (AES-GCM)
/// and sent over loopback UDP to a real transport that connected (ICE, DTLS) and then stopped
/// reading. Expected: 0 B/op.
/// </summary>
public class FanOutBenchmarks
{
    private const int PayloadLength = 1180;

    private readonly byte[] _packet = new byte[1500];
    private readonly List<PeerTransport> _transports = [];
    private readonly List<UdpMediaSocket> _sockets = [];
    private PinnedPacketBufferPool _pool = null!;
    private UdpMediaSocket _relaySocket = null!;
    private IceLiteServer _iceServer = null!;
    private MediaStream _stream = null!;
    private IPeerMediaHandler _publisher = null!;
    private PeerTransport _anyPeer = null!;
    private DtlsCertificate? _relayCertificate;
    private DtlsCertificate? _viewerCertificate;
    private int _length;
    private ushort _sequence;

    [Params(1, 10)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PinnedPacketBufferPool(blocksPerSlab: 4096);
        _relaySocket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, _pool);
        // Consent is never refreshed once the viewers' sockets close (below); keep it for the run.
        _iceServer = new IceLiteServer(_relaySocket, new IceLiteServerOptions { ConsentTimeout = TimeSpan.FromHours(1) });
        _relaySocket.Start(_iceServer);
        _stream = new MediaStream("bench", new MediaStreamOptions(), _pool, TimeProvider.System);
        _publisher = _stream.AttachPublisher(
            [new PublishedTrack(MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 97, 0x5EED0001, 0x5EED0002, "0", null, Nack: true)]);

        DtlsCertificate relayCertificate = _relayCertificate = DtlsCertificate.Generate("relay");
        DtlsCertificate viewerCertificate = _viewerCertificate = DtlsCertificate.Generate("viewer");
        var relaySides = new List<PeerTransport>();
        var clients = new List<PeerTransport>();
        for (int i = 0; i < Subscribers; i++)
        {
            MediaSubscriber subscriber = _stream.AddSubscriber(
                [new SubscribedTrack(MediaTrackKind.Video, 100, 101, (uint)(0xAAAA0000 + i), (uint)(0xBBBB0000 + i), Nack: true, Pli: true, Fir: true)]);
            var credentials = IceCredentials.Create(
                "Bench" + i.ToString("D4", CultureInfo.InvariantCulture), "BenchPasswordForFanOut" + i.ToString("D6", CultureInfo.InvariantCulture));
            PeerTransport relaySide = PeerTransport.CreateServer(
                _iceServer,
                new DtlsTransportOptions { Role = DtlsRole.Server, Certificate = relayCertificate, RemoteFingerprint = viewerCertificate.Fingerprint },
                subscriber,
                credentials.Ufrag);
            subscriber.Bind(relaySide);
            var socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, _pool);
            PeerTransport client = PeerTransport.CreateClient(
                socket,
                _relaySocket.LocalAddress,
                credentials,
                relaySide.LocalIceCredentials,
                new DtlsTransportOptions { Role = DtlsRole.Client, Certificate = viewerCertificate, RemoteFingerprint = relayCertificate.Fingerprint },
                new ReleasingHandler());
            socket.Start(client);
            client.Start();
            _sockets.Add(socket);
            relaySides.Add(relaySide);
            clients.Add(client);
        }

        var clock = Stopwatch.StartNew();
        while (relaySides.Exists(t => t.State != PeerTransportState.Connected) || clients.Exists(t => t.State != PeerTransportState.Connected))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException("The viewers did not connect.");
            }

            long now = TimeProvider.System.GetTimestamp();
            relaySides.ForEach(t => t.Poll(now));
            clients.ForEach(t => t.Poll(now));
            Thread.Sleep(5);
        }

        _transports.AddRange(clients);
        _anyPeer = relaySides[0];

        // The viewers stop reading: on a small machine their decryption would compete with the relay
        // for the same cores. What is measured is the relay's work up to and including sendto.
        foreach (UdpMediaSocket socket in _sockets)
        {
            socket.Dispose();
        }

        // A keyframe first, so every viewer's gate is open; then inter frames are what the benchmark sends.
        _length = WriteVp8(keyframe: true);
        Forward();
        _length = WriteVp8(keyframe: false);
        long before = _stream.Counters.RtpPacketsOut;
        Forward();
        if (_stream.Counters.RtpPacketsOut - before != Subscribers)
        {
            throw new InvalidOperationException("The benchmark packet did not reach every viewer.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (UdpMediaSocket socket in _sockets)
        {
            socket.Dispose();
        }

        _relaySocket.Dispose();
        foreach (PeerTransport transport in _transports)
        {
            transport.Dispose();
        }

        _stream.Dispose();
        _iceServer.Dispose();
        _relayCertificate?.Dispose();
        _viewerCertificate?.Dispose();
    }

    /// <summary>A publisher packet fanned out to every viewer: cache, rewrite, protect, send.</summary>
    [Benchmark]
    public void Forward()
    {
        PacketLease lease = _pool.Rent();
        Span<byte> buffer = lease.Buffer;
        _packet.AsSpan(0, _length).CopyTo(buffer);
        ushort sequence = ++_sequence;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(4), (uint)(sequence / 4 * 3000));
        lease.SetLength(_length);
        _publisher.OnRtp(_anyPeer, lease);
    }

    private int WriteVp8(bool keyframe)
    {
        _packet[0] = 0x80;
        _packet[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x5EED0001);
        new Random(1).NextBytes(_packet.AsSpan(12, PayloadLength));
        ReadOnlySpan<byte> head = keyframe
            ? [0x10, 0x50, 0x2C, 0x01, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]
            : [0x10, 0x51, 0x2C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        head.CopyTo(_packet.AsSpan(12));
        return 12 + PayloadLength;
    }

    private sealed class ReleasingHandler : IPeerMediaHandler
    {
        public void OnRtp(PeerTransport peer, PacketLease packet) => packet.Release();

        public void OnRtcp(PeerTransport peer, PacketLease packet) => packet.Release();

        public void OnStateChanged(PeerTransport peer, PeerTransportState state)
        {
        }
    }
}
