using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Bench.Transport;

/// <summary>
/// The two send paths of <see cref="UdpMediaSocket"/> over loopback: the synchronous
/// <c>Socket.SendTo(ReadOnlySpan, SocketFlags, SocketAddress)</c> the packet path uses, and the
/// <c>ValueTask</c> one that does not block on a full buffer. Both are mostly the system call; the
/// point is that neither allocates and what the asynchronous machinery adds.
/// </summary>
public class UdpSendBenchmarks
{
    private readonly byte[] _datagram = new byte[1200];
    private UdpMediaSocket _socket = null!;
    private Socket _sink = null!;
    private StunTransportAddress _destination;
    private SocketAddress _destinationAddress = null!;

    [GlobalSetup]
    public void Setup()
    {
        _socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, new PinnedPacketBufferPool());

        // Never read: once its buffer is full the kernel drops, and sending stays a plain system call.
        _sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _destination = StunTransportAddress.FromIPEndPoint((IPEndPoint)_sink.LocalEndPoint!);
        _destinationAddress = _sink.LocalEndPoint!.Serialize();
        _datagram[0] = 0x80;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _socket.Dispose();
        _sink.Dispose();
    }

    /// <summary>To a transport address, through the per-thread scratch socket address.</summary>
    [Benchmark(Baseline = true)]
    public bool SendToTransportAddress() => _socket.TrySend(_datagram, _destination);

    [Benchmark]
    public bool SendToSocketAddress() => _socket.TrySend(_datagram, _destinationAddress);

    [Benchmark]
    public bool SendAsyncCompletingSynchronously()
    {
        ValueTask<bool> send = _socket.TrySendAsync(_datagram, _destinationAddress);
        return send.IsCompletedSuccessfully ? send.Result : send.AsTask().GetAwaiter().GetResult();
    }
}
