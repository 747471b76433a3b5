using System.Net;
using System.Net.Sockets;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Testing.Buffers;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>
/// What most socket tests start from: a leak-checking pool, a <see cref="UdpMediaSocket"/> on 127.0.0.1
/// and plain peer sockets, disposed together (socket, peers, then the pool, which fails the test on a
/// lease never released).
/// </summary>
internal sealed class MediaSocketRig : IAsyncDisposable
{
    private MediaSocketRig(LeakCheckingPacketBufferPool pool, UdpMediaSocket socket, Socket[] peers)
    {
        Pool = pool;
        Socket = socket;
        Peers = peers;
        PeerAddresses = Array.ConvertAll(peers, Loopback.AddressOf);
    }

    public LeakCheckingPacketBufferPool Pool { get; }

    public UdpMediaSocket Socket { get; }

    public Socket[] Peers { get; }

    public StunTransportAddress[] PeerAddresses { get; }

    public Socket Peer => Peers[0];

    /// <param name="batchedIo">The path under test: recvmmsg and sendmmsg, or one system call per datagram.</param>
    /// <param name="peers">Plain loopback sockets to send from and receive at.</param>
    /// <param name="blockSize">The pool's block size (small to test datagrams that do not fit).</param>
    /// <param name="calls">A stand-in for sendmmsg and recvmmsg; the real ones if null.</param>
    /// <param name="maxConsecutiveReceiveErrors">See <see cref="UdpMediaSocketOptions.MaxConsecutiveReceiveErrors"/>.</param>
    public static MediaSocketRig Create(
        bool batchedIo,
        int peers = 0,
        int blockSize = PinnedPacketBufferPool.DefaultBlockSize,
        IBatchedSocketCalls? calls = null,
        int maxConsecutiveReceiveErrors = 10_000)
    {
        var pool = new LeakCheckingPacketBufferPool(blockSize);
        var options = new UdpMediaSocketOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            BatchedIo = batchedIo,
            MaxConsecutiveReceiveErrors = maxConsecutiveReceiveErrors,
        };
        var socket = new UdpMediaSocket(options, pool, null, calls ?? LinuxBatchedSocketCalls.Instance);
        var sockets = new Socket[peers];
        for (int i = 0; i < peers; i++)
        {
            sockets[i] = Loopback.CreateSocket();
            sockets[i].ReceiveBufferSize = 1 << 20;
        }

        return new MediaSocketRig(pool, socket, sockets);
    }

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        foreach (Socket peer in Peers)
        {
            peer.Dispose();
        }

        Pool.Dispose();
    }
}
