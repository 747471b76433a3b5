using Relay.Protocols.Stun;
using Relay.Testing.Buffers;
using Relay.Testing.Time;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

/// <summary>
/// An <see cref="IceLiteServer"/> driven directly, without sockets: datagrams go in through its
/// handler method, responses land in a <see cref="RecordingSender"/>, time moves only when the test
/// says. Disposing checks that every lease was released.
/// </summary>
internal sealed class IceLiteServerFixture : IDisposable
{
    public IceLiteServerFixture(IceLiteServerOptions? options = null)
    {
        Server = new IceLiteServer(Sender, options, Time, new SeededRandomNumberGenerator(1));
    }

    public ManualTimeProvider Time { get; } = new();

    public RecordingSender Sender { get; } = new();

    public LeakCheckingPacketBufferPool Pool { get; } = new();

    public IceLiteServer Server { get; }

    public IceCounters Counters => Server.Counters;

    public (IceLiteAgent Agent, RecordingAgentHandler Handler) CreateAgent(IceCredentials? local = null, string? remoteUfrag = null)
    {
        var handler = new RecordingAgentHandler();
        return (Server.CreateAgent(local ?? TestRequests.Server, handler, remoteUfrag), handler);
    }

    public void Receive(byte[] datagram, StunTransportAddress source)
    {
        var lease = Pool.Rent();
        datagram.CopyTo(lease.Buffer);
        lease.SetLength(datagram.Length);
        lease.Timestamp = Time.GetTimestamp();
        Server.OnDatagram(lease, source);
    }

    /// <summary>Reads the one response sent since the last call and clears the sender.</summary>
    public byte[] TakeOnlyResponse(StunTransportAddress expectedDestination)
    {
        var sent = Sender.Sent;
        Assert.Single(sent);
        Assert.Equal(expectedDestination, sent[0].Destination);
        Sender.Clear();
        return sent[0].Datagram;
    }

    public void Dispose()
    {
        Server.Dispose();
        Pool.Dispose();
    }
}
