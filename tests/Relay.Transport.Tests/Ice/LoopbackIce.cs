using System.Net;
using System.Threading.Channels;
using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;
using Relay.Transport.Ice;
using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Ice;

/// <summary>An ICE-lite server on a real UDP socket bound to 127.0.0.1.</summary>
internal sealed class LoopbackIceServer : IAsyncDisposable
{
    public LoopbackIceServer(TimeProvider? time = null, PacketBufferPool? pool = null)
    {
        Pool = pool ?? new PinnedPacketBufferPool();
        Socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, Pool, time);
        Server = new IceLiteServer(Socket, timeProvider: time);
        Socket.Start(Server);
    }

    public PacketBufferPool Pool { get; }

    public UdpMediaSocket Socket { get; }

    public IceLiteServer Server { get; }

    public StunTransportAddress Address => Socket.LocalAddress;

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        Server.Dispose();
    }
}

/// <summary>
/// A caller on its own UDP socket on 127.0.0.1: a controlling agent for its checks, and queues for
/// the media and any other STUN it receives.
/// </summary>
internal sealed class LoopbackIceClient : IUdpDatagramHandler, IAsyncDisposable
{
    private readonly Channel<byte[]> _media = Channel.CreateUnbounded<byte[]>();
    private readonly Channel<byte[]> _otherStun = Channel.CreateUnbounded<byte[]>();

    public LoopbackIceClient(StunTransportAddress server, IceCredentials serverCredentials, IceCredentials? clientCredentials = null, IceControllingAgentOptions? options = null)
    {
        Socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, new PinnedPacketBufferPool(blocksPerSlab: 16));
        Agent = new IceControllingAgent(Socket, server, clientCredentials ?? TestRequests.Client, serverCredentials, options);
        Socket.Start(this);
    }

    public UdpMediaSocket Socket { get; }

    public IceControllingAgent Agent { get; }

    public StunTransportAddress Address => Socket.LocalAddress;

    public async Task<bool> ConnectAsync()
    {
        Agent.Start();
        return await Agent.WaitForConnectionAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    public void OnDatagram(PacketLease datagram, in StunTransportAddress source)
    {
        ReadOnlySpan<byte> bytes = datagram.Span;
        if (PacketClassifier.Classify(bytes) == PacketKind.Stun)
        {
            if (!Agent.HandleStun(bytes, source))
            {
                _otherStun.Writer.TryWrite(bytes.ToArray());
            }
        }
        else
        {
            _media.Writer.TryWrite(bytes.ToArray());
        }

        datagram.Release();
    }

    /// <summary>The next STUN datagram the agent did not take (answers to raw requests), within 5 s.</summary>
    public async Task<byte[]> NextOtherStunAsync()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _otherStun.Reader.ReadAsync(cancellation.Token);
    }

    public bool HasOtherStun => _otherStun.Reader.TryPeek(out _);

    public async Task<byte[]> NextMediaAsync()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _media.Reader.ReadAsync(cancellation.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Agent.Dispose();
        await Socket.DisposeAsync();
    }
}
