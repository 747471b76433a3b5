using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Testing.Time;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

/// <summary>
/// The per-datagram paths of <see cref="IceLiteServer"/> allocate nothing once warm: answering a
/// consent check from the selected address, and routing media by its source address. The handler is
/// called directly (no socket), with leases from the production pool, which reuses them.
/// </summary>
public class IceLiteAllocationTests
{
    [Fact]
    public void AnsweringABindingRequest_AllocatesNothing()
    {
        (IceLiteServer server, RecordingSender sender, PinnedPacketBufferPool pool, _) = CreateConnected();
        byte[] check = TestRequests.Binding(useCandidate: false, transactionByte: 5);
        long answeredBefore = server.Counters.BindingSuccessResponses;

        long allocated = Measure(() => Receive(server, pool, check, TestRequests.ClientAddress));

        Assert.Equal(0, allocated);
        Assert.Equal(11_000, server.Counters.BindingSuccessResponses - answeredBefore);
        Assert.True(StunMessageReader.TryRead(sender.Last, out StunMessageReader response));
        Assert.Equal(StunClass.SuccessResponse, response.Class);
        server.Dispose();
    }

    [Fact]
    public void AnsweringAChromiumStyleNominatingCheck_AllocatesNothing()
    {
        (IceLiteServer server, _, PinnedPacketBufferPool pool, _) = CreateConnected();
        byte[] check = TestRequests.Binding(useCandidate: true, transactionByte: 6);

        Assert.Equal(0, Measure(() => Receive(server, pool, check, TestRequests.ClientAddress)));
        server.Dispose();
    }

    [Fact]
    public void RoutingMediaByAddress_AllocatesNothing()
    {
        (IceLiteServer server, _, PinnedPacketBufferPool pool, RecordingAgentHandler handler) = CreateConnected();

        long allocated = Measure(() => Receive(server, pool, TestRequests.Rtp, TestRequests.ClientAddress));

        Assert.Equal(0, allocated);
        Assert.Equal(11_000, handler.DatagramCount);
        server.Dispose();
    }

    [Fact]
    public void DroppingWhatUnauthenticatedSendersSend_AllocatesNothing()
    {
        (IceLiteServer server, _, PinnedPacketBufferPool pool, _) = CreateConnected();
        byte[] badIntegrity = TestRequests.Binding(password: "NotTheServerPasswordAtAll");
        byte[] unknownUfrag = TestRequests.Binding(server: IceCredentials.Create("Nobody12", "ServerPasswordServerPass"));

        long allocated = Measure(() =>
        {
            Receive(server, pool, badIntegrity, TestRequests.OtherClientAddress);
            Receive(server, pool, unknownUfrag, TestRequests.OtherClientAddress);
            Receive(server, pool, TestRequests.Rtp, TestRequests.OtherClientAddress);
        });

        Assert.Equal(0, allocated);
        Assert.Equal(1, server.AddressCount);
        server.Dispose();
    }

    [Fact]
    public void AddressLookup_AllocatesNothing()
    {
        (IceLiteServer server, _, _, _) = CreateConnected();
        StunTransportAddress address = TestRequests.ClientAddress;
        bool found = false;

        long allocated = Measure(() => found = server.TryGetAgentByAddress(address, out _));

        Assert.Equal(0, allocated);
        Assert.True(found);
        server.Dispose();
    }

    private static (IceLiteServer Server, RecordingSender Sender, PinnedPacketBufferPool Pool, RecordingAgentHandler Handler) CreateConnected()
    {
        var sender = new RecordingSender(keepCopies: false);
        var server = new IceLiteServer(sender, timeProvider: new ManualTimeProvider(), random: new SeededRandomNumberGenerator(3));
        var handler = new RecordingAgentHandler(keepCopies: false);
        server.CreateAgent(TestRequests.Server, handler);
        var pool = new PinnedPacketBufferPool();
        Receive(server, pool, TestRequests.Binding(), TestRequests.ClientAddress);
        return (server, sender, pool, handler);
    }

    private static void Receive(IceLiteServer server, PacketBufferPool pool, byte[] datagram, StunTransportAddress source)
    {
        PacketLease lease = pool.Rent();
        datagram.CopyTo(lease.Buffer);
        lease.SetLength(datagram.Length);
        server.OnDatagram(lease, source);
    }

    private static long Measure(Action operation, int iterations = 10_000)
    {
        for (int i = 0; i < 1_000; i++)
        {
            operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            operation();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
