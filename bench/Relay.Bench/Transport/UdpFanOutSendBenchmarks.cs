using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Transport.Udp;

namespace Relay.Bench.Transport;

/// <summary>
/// One packet's fan-out to <see cref="Viewers"/> loopback destinations, the system-call part of the
/// relay's forwarding: one <c>sendto</c> per viewer (the path before batching, and still the path with
/// <c>Relay:Media:BatchedIo=false</c> or off Linux) against the same datagrams queued in a
/// <see cref="UdpSendBatchScope"/> and sent by one <c>sendmmsg</c>. Both must allocate nothing.
/// </summary>
public class UdpFanOutSendBenchmarks
{
    private readonly byte[] _datagram = new byte[1200];
    private UdpMediaSocket _single = null!;
    private UdpMediaSocket _batched = null!;
    private Socket[] _sinks = [];
    private StunTransportAddress[] _destinations = [];

    [Params(10)]
    public int Viewers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var pool = new PinnedPacketBufferPool();
        _single = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback, BatchedIo = false }, pool);
        _batched = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback, BatchedIo = true }, pool);
        if (!_batched.IsSendBatched)
        {
            throw new PlatformNotSupportedException("sendmmsg is Linux only; this comparison means nothing here.");
        }

        // Never read: once their buffers are full the kernel drops, and sending stays the system call alone.
        _sinks = new Socket[Viewers];
        _destinations = new StunTransportAddress[Viewers];
        for (int i = 0; i < Viewers; i++)
        {
            _sinks[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _sinks[i].Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _destinations[i] = StunTransportAddress.FromIPEndPoint((IPEndPoint)_sinks[i].LocalEndPoint!);
        }

        _datagram[0] = 0x80;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _single.Dispose();
        _batched.Dispose();
        foreach (Socket sink in _sinks)
        {
            sink.Dispose();
        }
    }

    /// <summary>One sendto per viewer.</summary>
    [Benchmark(Baseline = true)]
    public int SendToEachViewer()
    {
        int sent = 0;
        for (int i = 0; i < _destinations.Length; i++)
        {
            sent += _single.TrySend(_datagram, _destinations[i]) ? 1 : 0;
        }

        return sent;
    }

    /// <summary>Queued (a 1,200-byte copy each) and sent by one sendmmsg at the end of the scope.</summary>
    [Benchmark]
    public int SendMmsgToAllViewers()
    {
        int sent = 0;
        using (UdpSendBatchScope.Open())
        {
            for (int i = 0; i < _destinations.Length; i++)
            {
                sent += _batched.TrySend(_datagram, _destinations[i]) ? 1 : 0;
            }
        }

        return sent;
    }
}
