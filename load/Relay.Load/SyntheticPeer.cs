using System.Net;
using System.Security.Cryptography;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Udp;

namespace Relay.Load;

/// <summary>
/// One synthetic browser: its own UDP socket on loopback, the project's client-role transport (ICE
/// controlling, DTLS client), and a handler for what the relay sends back. Subclasses are the
/// publisher and the viewer.
/// </summary>
internal abstract class SyntheticPeer : IPeerMediaHandler, IAsyncDisposable
{
    private UdpMediaSocket? _socket;

    protected SyntheticPeer(DtlsCertificate certificate, PacketBufferPool pool)
    {
        Certificate = certificate;
        Pool = pool;
        Ice = IceCredentials.Generate(RandomNumberGenerator.Create());
    }

    public IceCredentials Ice { get; }

    public DtlsCertificate Certificate { get; }

    public PeerTransport? Transport { get; private set; }

    public Uri? Resource { get; set; }

    protected PacketBufferPool Pool { get; }

    /// <summary>Connects to the relay as its answer says and waits, at most <paramref name="timeout"/>, until media can flow.</summary>
    public async Task ConnectAsync(RelayAnswer answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The generator's own sockets keep one system call per datagram whatever the relay does, so
        // runs comparing the relay's two paths (--relay-arg --Relay:Media:BatchedIo=...) load it alike.
        _socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback, ReceiveBufferSize = 1 << 20, SendBufferSize = 1 << 20, BatchedIo = false }, Pool);
        Transport = PeerTransport.CreateClient(
            _socket,
            StunTransportAddress.FromIPEndPoint(answer.Candidate),
            Ice,
            answer.Ice,
            new DtlsTransportOptions { Role = DtlsRole.Client, Certificate = Certificate, RemoteFingerprint = answer.Fingerprint },
            this);
        _socket.Start(Transport);
        Transport.Start();

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Transport.State != PeerTransportState.Connected)
        {
            if (Transport.State is PeerTransportState.Failed or PeerTransportState.Closed || Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{GetType().Name} did not connect: {Transport.State} {Transport.Reason}");
            }

            Transport.Poll(TimeProvider.System.GetTimestamp());
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    public abstract void OnRtp(PeerTransport peer, PacketLease packet);

    public abstract void OnRtcp(PeerTransport peer, PacketLease packet);

    public virtual void OnStateChanged(PeerTransport peer, PeerTransportState state)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync().ConfigureAwait(false);
        }

        Transport?.Dispose();
        GC.SuppressFinalize(this);
    }
}
