using System.Net.Sockets;
using Relay.Protocols.Stun;
using Relay.Testing.Time;
using Relay.Transport.Ice;
using Relay.Transport.Tests.Udp;
using Xunit.Abstractions;

namespace Relay.Transport.Tests.Ice;

/// <summary>The ICE-lite server and the controlling agent over real UDP sockets on 127.0.0.1.</summary>
public class IceLiteLoopbackTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ControllingAgentAndLiteServer_CompleteConnectivity_AndMediaFlowsBothWays()
    {
        await using var server = new LoopbackIceServer();
        var handler = new RecordingAgentHandler();
        IceLiteAgent liteAgent = server.Server.CreateAgent(handler, remoteUfrag: TestRequests.Client.Ufrag);
        await using var client = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials);

        Assert.True(await client.ConnectAsync());

        Assert.Equal(IceLiteAgentState.Connected, liteAgent.State);
        Assert.True(liteAgent.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(client.Address, selected);
        Assert.Equal(client.Address, client.Agent.MappedAddress);

        Assert.True(client.Agent.TrySend(TestRequests.Rtp));
        await Loopback.Eventually(() => handler.DatagramCount == 1, "the RTP packet to reach the agent's handler");
        Assert.Equal(TestRequests.Rtp, handler.Datagrams.Single().Datagram);

        Assert.True(liteAgent.TrySend(TestRequests.Dtls));
        Assert.Equal(TestRequests.Dtls, await client.NextMediaAsync());
    }

    [Fact]
    public async Task WrongPassword_IsDroppedAndCountedAndNothingIsSentBack()
    {
        await using var server = new LoopbackIceServer();
        server.Server.CreateAgent(TestRequests.Server, new RecordingAgentHandler());
        await using var client = new LoopbackIceClient(server.Address, TestRequests.Server);

        client.Socket.TrySend(TestRequests.Binding(password: "NotTheServerPasswordAtAll", transactionByte: 1), server.Address);
        client.Socket.TrySend(TestRequests.Binding(useCandidate: false, transactionByte: 2), server.Address);

        // The worker handles datagrams in order, so the answer to the second arriving first and alone
        // shows the first got none.
        byte[] answer = await client.NextOtherStunAsync();
        Assert.True(StunMessageReader.TryRead(answer, out StunMessageReader response));
        Assert.Equal(Enumerable.Repeat((byte)2, 12).ToArray(), response.TransactionId.ToArray());
        Assert.Equal(1, server.Server.Counters.DroppedBadIntegrity);
        Assert.Equal(1, server.Server.Counters.BindingSuccessResponses);
        Assert.False(client.HasOtherStun);
    }

    [Fact]
    public async Task UnknownUfrag_IsDroppedAndNothingIsSentBack()
    {
        await using var server = new LoopbackIceServer();
        server.Server.CreateAgent(TestRequests.Server, new RecordingAgentHandler());
        await using var client = new LoopbackIceClient(server.Address, TestRequests.Server);

        client.Socket.TrySend(TestRequests.Binding(server: IceCredentials.Create("Nobody12", "ServerPasswordServerPass"), transactionByte: 1), server.Address);
        client.Socket.TrySend(TestRequests.Binding(useCandidate: false, transactionByte: 2), server.Address);

        Assert.True(StunMessageReader.TryRead(await client.NextOtherStunAsync(), out StunMessageReader response));
        Assert.Equal(Enumerable.Repeat((byte)2, 12).ToArray(), response.TransactionId.ToArray());
        Assert.Equal(1, server.Server.Counters.DroppedUnknownUfrag);
        Assert.Equal(1, server.Server.Counters.BindingSuccessResponses);
        Assert.False(client.HasOtherStun);
    }

    [Fact]
    public async Task MediaFromAnUnvalidatedAddress_IsDropped()
    {
        await using var server = new LoopbackIceServer();
        var handler = new RecordingAgentHandler();
        IceLiteAgent liteAgent = server.Server.CreateAgent(handler);
        await using var client = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials);
        Assert.True(await client.ConnectAsync());
        using Socket stranger = Loopback.CreateSocket();

        stranger.SendTo(TestRequests.Rtp, server.Socket.LocalEndPoint);
        stranger.SendTo(TestRequests.Dtls, server.Socket.LocalEndPoint);
        await Loopback.Eventually(() => server.Server.Counters.DroppedUnknownAddress == 2, "the stranger's datagrams to be dropped");

        // Passing a check without being nominated is not enough either.
        await using var checkedOnly = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials, options: new IceControllingAgentOptions { Nominate = false });
        Assert.True(await checkedOnly.ConnectAsync());
        Assert.True(checkedOnly.Agent.TrySend(TestRequests.Rtp));
        await Loopback.Eventually(() => server.Server.Counters.DroppedNotStunBeforeValidation == 1, "media from the checked address to be dropped");

        Assert.Equal(0, handler.DatagramCount);
        Assert.True(liteAgent.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(client.Address, selected);
    }

    [Fact]
    public async Task NetworkSwitch_MovesTheSelectedPairAndMediaFromTheOldAddressIsDropped()
    {
        await using var server = new LoopbackIceServer();
        var handler = new RecordingAgentHandler();
        IceLiteAgent liteAgent = server.Server.CreateAgent(handler);
        await using var wifi = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials);
        Assert.True(await wifi.ConnectAsync());
        Assert.True(wifi.Agent.TrySend(TestRequests.Rtp));
        await Loopback.Eventually(() => handler.DatagramCount == 1, "media over the first path");

        // The same caller, same credentials, from a new socket: its mobile-data address.
        await using var mobile = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials);
        Assert.True(await mobile.ConnectAsync());

        Assert.True(liteAgent.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(mobile.Address, selected);
        Assert.Equal([wifi.Address, mobile.Address], handler.SelectedAddresses);

        wifi.Agent.TrySend(TestRequests.Rtp);
        await Loopback.Eventually(() => server.Server.Counters.DroppedUnknownAddress == 1, "media from the old address to be dropped");
        mobile.Agent.TrySend(TestRequests.Rtp);
        await Loopback.Eventually(() => handler.DatagramCount == 2, "media over the new path");

        Assert.True(liteAgent.TrySend(TestRequests.Dtls));
        Assert.Equal(TestRequests.Dtls, await mobile.NextMediaAsync());
        Assert.Equal(1, server.Server.AddressCount);
    }

    [Fact]
    public async Task Consent_IsLostAfterThirtySecondsWithoutChecks()
    {
        var time = new ManualTimeProvider();
        await using var server = new LoopbackIceServer(time);
        var handler = new RecordingAgentHandler();
        IceLiteAgent liteAgent = server.Server.CreateAgent(handler);
        var quietClient = new IceControllingAgentOptions { ConsentInterval = TimeSpan.FromHours(1), ConsentTimeout = TimeSpan.FromHours(2) };
        await using var client = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials, options: quietClient);
        Assert.True(await client.ConnectAsync());

        // A retransmitted check still queued would refresh consent at whatever the manual clock reads
        // when the worker gets to it: let the worker finish every check before moving the clock.
        await Loopback.Eventually(
            () => server.Server.Counters.BindingSuccessResponses == client.Socket.Counters.DatagramsSent,
            "every check the client sent to be answered");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(IceLiteAgentState.Connected, liteAgent.State);
        client.Agent.TrySend(TestRequests.Rtp);
        await Loopback.Eventually(() => handler.DatagramCount == 1, "media while consent holds");

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(IceLiteAgentState.ConsentLost, liteAgent.State);
        Assert.True(handler.ConsentLost.IsCompleted);
        Assert.False(liteAgent.TrySend(TestRequests.Dtls));

        client.Agent.TrySend(TestRequests.Rtp);
        client.Agent.SendConsentCheck();
        await Loopback.Eventually(
            () => server.Server.Counters.DroppedUnknownAddress == 1 && server.Server.Counters.DroppedConsentLost == 1,
            "media and the late check to be dropped");
        Assert.Equal(1, handler.DatagramCount);
        Assert.Equal(1, handler.ConsentLostCount);
    }

    [Fact]
    public async Task FloodOfJunkFromManyPorts_LeavesTheAddressTableAloneAndAParallelSessionWorks()
    {
        await using var server = new LoopbackIceServer();
        var handler = new RecordingAgentHandler(keepCopies: false);
        IceLiteAgent liteAgent = server.Server.CreateAgent(handler);
        await using var good = new LoopbackIceClient(server.Address, liteAgent.LocalCredentials, options: new IceControllingAgentOptions { MaxCheckSends = 200 });

        const int Senders = 50;
        const int PerSender = 1_000;
        byte[] valid = TestRequests.Binding(server: liteAgent.LocalCredentials);
        byte[] wrongPassword = TestRequests.Binding(server: liteAgent.LocalCredentials, password: "NotTheServerPasswordAtAll");
        byte[] unknownUfrag = TestRequests.Binding(server: IceCredentials.Create("Nobody12", "ServerPasswordServerPass"));
        Task flood = Task.Run(() =>
        {
            var sockets = Enumerable.Range(0, Senders).Select(_ => Loopback.CreateSocket()).ToArray();
            try
            {
                var random = new Random(1234);
                var scratch = new byte[300];
                var pacing = new FloodPacing(server.Socket.Counters);
                for (int i = 0; i < PerSender; i++)
                {
                    pacing.WaitForTheServer(sent: i * Senders);
                    foreach (Socket socket in sockets)
                    {
                        byte[] datagram = (i % 5) switch
                        {
                            0 => Fill(random, scratch, random.Next(1, scratch.Length)),
                            1 => valid.AsSpan(0, random.Next(valid.Length)).ToArray(),
                            2 => wrongPassword,
                            3 => unknownUfrag,
                            _ => Rtp(random, scratch),
                        };
                        socket.SendTo(datagram, server.Socket.LocalEndPoint);
                    }
                }

                // Nothing the flood sent deserved an answer.
                Assert.All(sockets, socket => Assert.Equal(0, socket.Available));
            }
            finally
            {
                foreach (Socket socket in sockets)
                {
                    socket.Dispose();
                }
            }
        });

        Assert.True(await good.ConnectAsync());
        await flood.WaitAsync(TimeSpan.FromSeconds(60));
        await WaitUntilQuiet(server);

        Assert.Equal(1, server.Server.AddressCount);
        Assert.True(server.Server.TryGetAgentByAddress(good.Address, out IceLiteAgent? owner));
        Assert.Same(liteAgent, owner);
        IceCounters counters = server.Server.Counters;
        output.WriteLine(
            $"received {server.Socket.Counters.DatagramsReceived} of {Senders * PerSender} flood datagrams; dropped: " +
            $"bad STUN {counters.DroppedBadStun}, bad integrity {counters.DroppedBadIntegrity}, unknown ufrag {counters.DroppedUnknownUfrag}, " +
            $"unknown address {counters.DroppedUnknownAddress}, classified unknown {counters.DroppedClassifiedUnknown}; answered {counters.BindingSuccessResponses}, errors {counters.ErrorResponses}");
        Assert.True(counters.DroppedBadIntegrity > 0);
        Assert.True(counters.DroppedUnknownUfrag > 0);
        Assert.True(counters.DroppedBadStun > 0);
        Assert.True(counters.DroppedUnknownAddress > 0);
        Assert.Equal(1, counters.Nominations);

        int before = handler.DatagramCount;
        Assert.True(good.Agent.TrySend(TestRequests.Rtp));
        await Loopback.Eventually(() => handler.DatagramCount == before + 1, "the good session's media after the flood");
        Assert.True(liteAgent.TrySend(TestRequests.Dtls));
        Assert.Equal(TestRequests.Dtls, await good.NextMediaAsync());
    }

    /// <summary>
    /// Keeps the flood within a few thousand datagrams of what the server has taken, so most of it
    /// goes through the handler instead of overflowing the kernel's buffer. Loss the kernel did cause
    /// is written off after a short wait, which bounds the test's time.
    /// </summary>
    private sealed class FloodPacing(Relay.Transport.Udp.UdpSocketCounters counters)
    {
        private const int Window = 2_000;
        private long _writtenOff;

        public void WaitForTheServer(long sent)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (sent - _writtenOff - counters.DatagramsReceived > Window)
            {
                if (clock.ElapsedMilliseconds > 20)
                {
                    _writtenOff = sent - counters.DatagramsReceived - Window;
                    return;
                }

                Thread.Yield();
            }
        }
    }

    private static byte[] Fill(Random random, byte[] scratch, int length)
    {
        random.NextBytes(scratch.AsSpan(0, length));
        return scratch.AsSpan(0, length).ToArray();
    }

    private static byte[] Rtp(Random random, byte[] scratch)
    {
        byte[] datagram = Fill(random, scratch, 100);
        datagram[0] = 0x80;
        return datagram;
    }

    private static async Task WaitUntilQuiet(LoopbackIceServer server)
    {
        long last = -1;
        while (server.Socket.Counters.DatagramsReceived != last)
        {
            last = server.Socket.Counters.DatagramsReceived;
            await Task.Delay(200);
        }
    }
}
