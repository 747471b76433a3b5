using System.Buffers.Binary;
using Relay.Protocols.Stun;
using Relay.Testing.Time;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

public class IceControllingAgentTests
{
    private static readonly StunTransportAddress Server = new([192, 0, 2, 10], 3478);
    private static readonly StunTransportAddress Mapped = new([198, 51, 100, 9], 50000);

    [Fact]
    public void Start_SendsANominatingCheckTheLiteServerAccepts()
    {
        var (agent, sender, _) = Create();

        agent.Start();

        Assert.Equal(IceControllingState.Checking, agent.State);
        Assert.Equal(Server, sender.LastDestination);
        byte[] request = sender.Last.ToArray();
        Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(request, TestRequests.Server.PasswordBytes, out StunBindingRequest check));
        Assert.Equal("SrvUfrag:CliUfrag"u8.ToArray(), check.Username.ToArray());
        Assert.Equal(IceControllingAgent.PeerReflexivePriority, check.Priority);
        Assert.Equal(StunIceRole.Controlling, check.Role);
        Assert.Equal(agent.TieBreaker, check.TieBreaker);
        Assert.True(check.UseCandidate);
        Assert.True(check.Message.VerifyFingerprint());
    }

    [Fact]
    public void Check_IsRetransmittedOnAGrowingBoundedScheduleWithTheSameTransaction()
    {
        var (agent, sender, time) = Create();
        agent.Start();
        byte[] first = sender.Last.ToArray();

        var sendTimes = new List<double>();
        for (int ms = 1; ms <= 500; ms++)
        {
            int before = sender.Count;
            time.Advance(TimeSpan.FromMilliseconds(1));
            if (sender.Count != before)
            {
                sendTimes.Add(ms);
                Assert.Equal(first, sender.Last.ToArray());
            }
        }

        // 50, then 75, then 100 ms apart at most.
        Assert.Equal([50, 125, 225, 325, 425], sendTimes);
    }

    [Fact]
    public async Task Agent_FailsAfterItsLastSendGoesUnanswered()
    {
        var (agent, sender, time) = Create(new IceControllingAgentOptions { MaxCheckSends = 4 });
        var states = new List<IceControllingState>();
        agent.StateChanged += (_, state) => states.Add(state);
        agent.Start();

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(4, sender.Count);
        Assert.Equal(IceControllingState.Failed, agent.State);
        Assert.False(await agent.WaitForConnectionAsync());
        Assert.Equal([IceControllingState.Checking, IceControllingState.Failed], states);
    }

    [Fact]
    public async Task ValidResponse_ConnectsAndStopsRetransmission()
    {
        var (agent, sender, time) = Create();
        agent.Start();

        Assert.True(agent.HandleStun(Response(sender.Last), Server));

        Assert.Equal(IceControllingState.Connected, agent.State);
        Assert.Equal(Mapped, agent.MappedAddress);
        Assert.True(await agent.WaitForConnectionAsync());
        int sent = sender.Count;
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(sent, sender.Count);
    }

    [Fact]
    public void ResponsesThatDoNotProveThemselves_AreIgnored()
    {
        var (agent, sender, _) = Create();
        agent.Start();
        byte[] request = sender.Last.ToArray();

        byte[] otherTransaction = (byte[])request.Clone();
        otherTransaction[10] ^= 1;
        byte[] badFingerprint = Response(request);
        badFingerprint[^1] ^= 1;

        Assert.False(agent.HandleStun(Response(request), Mapped));
        Assert.False(agent.HandleStun(Response(otherTransaction), Server));
        Assert.False(agent.HandleStun(Response(request, key: TestRequests.Client.PasswordBytes.ToArray()), Server));
        Assert.False(agent.HandleStun(Response(request, withMappedAddress: false), Server));
        Assert.False(agent.HandleStun(badFingerprint, Server));
        Assert.False(agent.HandleStun(request, Server));
        Assert.False(agent.HandleStun([1, 2, 3], Server));
        Assert.Equal(IceControllingState.Checking, agent.State);
    }

    [Fact]
    public async Task AuthenticatedErrorResponse_FailsTheCheck()
    {
        var (agent, sender, _) = Create();
        agent.Start();
        byte[] error = new byte[128];
        StunMessageWriter.BindingErrorResponse(TransactionId(sender.Last), StunErrorCode.RoleConflict, TestRequests.Server.PasswordBytes)
            .TryWrite(error, out int length);

        Assert.True(agent.HandleStun(error.AsSpan(0, length), Server));

        Assert.Equal(IceControllingState.Failed, agent.State);
        Assert.False(await agent.WaitForConnectionAsync());
    }

    [Fact]
    public void ConsentChecks_AreSentEveryFourToSixSecondsAsNewTransactionsWithoutNomination()
    {
        var (agent, sender, time) = Create();
        agent.Start();
        agent.HandleStun(Response(sender.Last), Server);
        var transactions = new HashSet<string>();
        double last = 0;
        double now = 0;

        for (int step = 0; step < 120_000; step += 10)
        {
            int before = sender.Count;
            time.Advance(TimeSpan.FromMilliseconds(10));
            now += 10;
            if (sender.Count == before)
            {
                continue;
            }

            Assert.InRange(now - last, 4000, 6000);
            last = now;
            byte[] check = sender.Last.ToArray();
            Assert.True(transactions.Add(Convert.ToHexString(TransactionId(check))));
            Assert.Equal(StunCheckResult.Ok, StunBindingCheck.Check(check, TestRequests.Server.PasswordBytes, out StunBindingRequest request));
            Assert.False(request.UseCandidate);
            Assert.True(agent.HandleStun(Response(check), Server));
        }

        Assert.InRange(transactions.Count, 20, 30);
        Assert.Equal(IceControllingState.Connected, agent.State);
    }

    [Fact]
    public void Consent_ExpiresThirtySecondsAfterTheLastValidResponse()
    {
        var (agent, sender, time) = Create();
        var states = new List<IceControllingState>();
        agent.StateChanged += (_, state) => states.Add(state);
        agent.Start();
        agent.HandleStun(Response(sender.Last), Server);

        time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.Equal(IceControllingState.Connected, agent.State);
        Assert.True(agent.TrySend(TestRequests.Rtp));

        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(IceControllingState.Failed, agent.State);
        Assert.False(agent.TrySend(TestRequests.Rtp));
        Assert.Equal([IceControllingState.Checking, IceControllingState.Connected, IceControllingState.Failed], states);
    }

    [Fact]
    public void Agent_ConnectsToTheLiteServerOverAnInMemoryLink()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent liteAgent, _) = f.CreateAgent();
        var link = new LinkToServer(f, Mapped);
        using var agent = new IceControllingAgent(link, Server, TestRequests.Client, TestRequests.Server, timeProvider: f.Time, random: new SeededRandomNumberGenerator(5));
        link.Agent = agent;

        agent.Start();

        Assert.Equal(IceControllingState.Connected, agent.State);
        Assert.Equal(IceLiteAgentState.Connected, liteAgent.State);
        Assert.Equal(Mapped, agent.MappedAddress);

        // Consent checks every ~5 s keep both sides connected well past the 30 s timeout.
        f.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(IceControllingState.Connected, agent.State);
        Assert.Equal(IceLiteAgentState.Connected, liteAgent.State);
    }

    [Fact]
    public void Dispose_StopsTheAgentAndItsTimer()
    {
        var (agent, sender, time) = Create();
        agent.Start();

        agent.Dispose();
        int sent = sender.Count;
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(IceControllingState.Closed, agent.State);
        Assert.Equal(sent, sender.Count);
        Assert.Equal(0, time.ActiveTimers);
        Assert.Throws<ObjectDisposedException>(agent.Start);
    }

    private static (IceControllingAgent Agent, RecordingSender Sender, ManualTimeProvider Time) Create(IceControllingAgentOptions? options = null)
    {
        var sender = new RecordingSender();
        var time = new ManualTimeProvider();
        var agent = new IceControllingAgent(sender, Server, TestRequests.Client, TestRequests.Server, options, time, new SeededRandomNumberGenerator(4));
        return (agent, sender, time);
    }

    private static byte[] TransactionId(ReadOnlySpan<byte> message) => message.Slice(8, 12).ToArray();

    private static byte[] Response(ReadOnlySpan<byte> request, byte[]? key = null, bool withMappedAddress = true)
    {
        var writer = new StunMessageWriter(StunMethod.Binding, StunClass.SuccessResponse, TransactionId(request))
        {
            XorMappedAddress = withMappedAddress ? Mapped : null,
            MessageIntegrityKey = key ?? TestRequests.Server.PasswordBytes.ToArray(),
            IncludeFingerprint = true,
        };
        byte[] response = new byte[writer.GetSerializedLength()];
        Assert.True(writer.TryWrite(response, out _));
        Assert.Equal(0x0101, BinaryPrimitives.ReadUInt16BigEndian(response));
        return response;
    }

    /// <summary>Carries the agent's datagrams straight into the server and the server's answers straight back.</summary>
    private sealed class LinkToServer(IceLiteServerFixture server, StunTransportAddress clientAddress) : Relay.Transport.Udp.IDatagramSender
    {
        public IceControllingAgent? Agent { get; set; }

        public bool TrySend(ReadOnlySpan<byte> datagram, in StunTransportAddress destination)
        {
            server.Sender.Clear();
            server.Receive(datagram.ToArray(), clientAddress);
            foreach ((byte[] answer, StunTransportAddress to) in server.Sender.Sent)
            {
                Assert.Equal(clientAddress, to);
                Agent!.HandleStun(answer, Server);
            }

            return true;
        }
    }
}
