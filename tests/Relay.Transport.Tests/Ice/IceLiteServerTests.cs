using System.Text;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;
using Relay.Testing;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

public class IceLiteServerTests
{
    private static readonly StunTransportAddress Client = TestRequests.ClientAddress;
    private static readonly StunTransportAddress OtherClient = TestRequests.OtherClientAddress;

    [Fact]
    public void AuthenticatedCheck_IsAnsweredWithXorMappedAddressIntegrityAndFingerprint()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();

        f.Receive(TestRequests.Binding(transactionByte: 9), Client);

        byte[] response = f.TakeOnlyResponse(Client);
        Assert.True(StunMessageReader.TryRead(response, out StunMessageReader message));
        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(Enumerable.Repeat((byte)9, 12).ToArray(), message.TransactionId.ToArray());
        Assert.True(message.TryGetXorMappedAddress(out StunTransportAddress mapped));
        Assert.Equal(Client, mapped);
        Assert.True(message.VerifyMessageIntegrity(TestRequests.Server.PasswordBytes));
        Assert.True(message.VerifyFingerprint());
        Assert.Equal(1, f.Counters.BindingSuccessResponses);
    }

    [Fact]
    public void IPv6Check_IsAnsweredWithTheIPv6MappedAddress()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        var source = new StunTransportAddress(Convert.FromHexString("20010db8000000000000000000000042"), 40000);

        f.Receive(TestRequests.Binding(), source);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(source), out StunMessageReader message));
        Assert.True(message.TryGetXorMappedAddress(out StunTransportAddress mapped));
        Assert.Equal(source, mapped);
    }

    [Fact]
    public void ChromiumsNominatingCheck_IsAnsweredAndNominatesItsSource()
    {
        // The connectivity check a Chromium browser sent (published in str0m's tests), with the
        // credentials it was made under: USERNAME "p9KA:SQAt", GOOG-NETWORK-INFO, USE-CANDIDATE.
        byte[] request = Convert.FromHexString(
            "000100502112a4426a756331357578556e674763" +
            "0006000970394b413a53514174000000" +
            "c05700040001000a" +
            "802a00086eeec6e97d18395c" +
            "00250000" +
            "002400046e7f1eff" +
            "000800145d0425a0207ab1e054102299aaf9839ca076c6d5" +
            "80280004360e219f");
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent(IceCredentials.Create("p9KA", "xJcE9AQAR7kczUDVOXRUCl"), remoteUfrag: "SQAt");

        f.Receive(request, Client);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader message));
        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.True(message.VerifyMessageIntegrity("xJcE9AQAR7kczUDVOXRUCl"u8));
        Assert.Equal(IceLiteAgentState.Connected, agent.State);
        Assert.True(agent.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(Client, selected);
        Assert.Equal([Client], handler.SelectedAddresses);
    }

    [Fact]
    public void WrongPassword_IsDroppedAndCountedWithoutAnyAnswer()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, _) = f.CreateAgent();

        f.Receive(TestRequests.Binding(password: "NotTheServerPasswordAtAll"), Client);

        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(1, f.Counters.DroppedBadIntegrity);
        Assert.Equal(IceLiteAgentState.New, agent.State);
        Assert.Equal(0, f.Server.AddressCount);
    }

    [Fact]
    public void UnknownUfrag_IsDroppedWithoutAnyAnswer()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();

        f.Receive(TestRequests.Binding(server: IceCredentials.Create("Nobody12", "ServerPasswordServerPass")), Client);

        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(1, f.Counters.DroppedUnknownUfrag);
    }

    [Fact]
    public void UsernameWithTheWrongRemoteUfrag_IsDroppedWhenTheOfferNamedOne()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent(remoteUfrag: "Expected");

        f.Receive(TestRequests.Binding(), Client);

        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(1, f.Counters.DroppedUnknownUfrag);
    }

    [Fact]
    public void LongestAllowedUfrag_IsFound()
    {
        using var f = new IceLiteServerFixture();
        var longest = IceCredentials.Create(new string('u', IceCredentials.MaxLength), "ServerPasswordServerPass");
        f.CreateAgent(longest);

        f.Receive(TestRequests.Binding(server: longest), Client);

        Assert.Equal(1, f.Counters.BindingSuccessResponses);
    }

    [Theory]
    [InlineData("NoColonAtAll")]
    [InlineData(":CliUfrag")]
    [InlineData("abc:CliUfrag")]
    [InlineData("Srv\u00e9frag:CliUfrag")]
    public void MalformedUsername_IsDroppedAsUnknownUfrag(string username)
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        byte[] request = new RawStunMessage()
            .Add(StunAttributeType.Username, Encoding.UTF8.GetBytes(username))
            .Add(StunAttributeType.Priority, [0, 0, 0, 1])
            .WithIntegrityAndFingerprint(TestRequests.Server.PasswordBytes);

        f.Receive(request, Client);

        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(1, f.Counters.DroppedUnknownUfrag);
    }

    [Fact]
    public void RequestWithoutCredentials_IsAnswered400WithoutIntegrityWhenTheAnswerIsNoLarger()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        var writer = new StunMessageWriter(StunMethod.Binding, StunClass.Request, new byte[12])
        {
            Software = Encoding.ASCII.GetBytes(new string('x', 40)),
            IncludeFingerprint = true,
        };
        byte[] request = new byte[writer.GetSerializedLength()];
        writer.TryWrite(request, out _);

        f.Receive(request, Client);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader message));
        Assert.Equal(StunClass.ErrorResponse, message.Class);
        Assert.True(message.TryGetErrorCode(out StunErrorCode code, out _));
        Assert.Equal(StunErrorCode.BadRequest, code);
        Assert.False(message.HasMessageIntegrity);
    }

    [Fact]
    public void BareRequestWithoutCredentials_IsDroppedSoThePortAmplifiesNothing()
    {
        using var f = new IceLiteServerFixture();
        byte[] request = new RawStunMessage().ToArray();

        f.Receive(request, Client);

        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(1, f.Counters.DroppedBadStun);
    }

    [Fact]
    public void UnknownComprehensionRequiredAttribute_IsAnswered420ListingItUnderIntegrity()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        byte[] request = new RawStunMessage()
            .Add(StunAttributeType.Username, "SrvUfrag:CliUfrag"u8.ToArray())
            .Add(StunAttributeType.Priority, [0, 0, 0, 1])
            .Add(0x0033, [1, 2, 3, 4])
            .Add(0x7FFF, [])
            .WithIntegrityAndFingerprint(TestRequests.Server.PasswordBytes);

        f.Receive(request, Client);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader message));
        Assert.True(message.TryGetErrorCode(out StunErrorCode code, out _));
        Assert.Equal(StunErrorCode.UnknownAttribute, code);
        Assert.True(message.TryGetAttribute(StunAttributeType.UnknownAttributes, out ReadOnlySpan<byte> unknown));
        Assert.Equal(new byte[] { 0x00, 0x33, 0x7F, 0xFF }, unknown.ToArray());
        Assert.True(message.VerifyMessageIntegrity(TestRequests.Server.PasswordBytes));
        Assert.Equal(0, f.Server.AddressCount);
    }

    [Fact]
    public void AuthenticatedRequestWithoutPriority_IsAnswered400UnderIntegrity()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        byte[] request = new RawStunMessage()
            .Add(StunAttributeType.Username, "SrvUfrag:CliUfrag"u8.ToArray())
            .Add(StunAttributeType.UseCandidate, [])
            .WithIntegrityAndFingerprint(TestRequests.Server.PasswordBytes);

        f.Receive(request, Client);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader message));
        Assert.True(message.TryGetErrorCode(out StunErrorCode code, out _));
        Assert.Equal(StunErrorCode.BadRequest, code);
        Assert.True(message.VerifyMessageIntegrity(TestRequests.Server.PasswordBytes));
        Assert.Equal(0, f.Server.AddressCount);
    }

    [Fact]
    public void PeerClaimingTheControlledRole_IsAnswered487AndNotNominated()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, _) = f.CreateAgent();

        f.Receive(TestRequests.Binding(role: StunIceRole.Controlled), Client);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader message));
        Assert.True(message.TryGetErrorCode(out StunErrorCode code, out _));
        Assert.Equal(StunErrorCode.RoleConflict, code);
        Assert.True(message.VerifyMessageIntegrity(TestRequests.Server.PasswordBytes));
        Assert.Equal(IceLiteAgentState.New, agent.State);
        Assert.Equal(1, f.Counters.RoleConflicts);
    }

    [Fact]
    public void CheckWithoutARole_IsAnswered()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();

        f.Receive(TestRequests.Binding(role: StunIceRole.None), Client);

        Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader message));
        Assert.Equal(StunClass.SuccessResponse, message.Class);
    }

    [Fact]
    public void ResponsesAndIndications_AreDroppedUnanswered()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        byte[] success = new byte[64];
        StunMessageWriter.BindingSuccessResponse(new byte[12], Client, TestRequests.Server.PasswordBytes).TryWrite(success, out int length);
        byte[] indication = new RawStunMessage(type: 0x0011).WithIntegrityAndFingerprint(TestRequests.Server.PasswordBytes);

        f.Receive(success.AsSpan(0, length).ToArray(), Client);
        f.Receive(indication, Client);

        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(2, f.Counters.DroppedStunNotRequest);
    }

    [Fact]
    public void Media_FromAnAddressNoAgentKnows_IsDroppedAsUnknownAddress()
    {
        using var f = new IceLiteServerFixture();
        (_, RecordingAgentHandler handler) = f.CreateAgent();

        f.Receive(TestRequests.Rtp, Client);
        f.Receive(TestRequests.Dtls, Client);

        Assert.Equal(0, handler.DatagramCount);
        Assert.Equal(2, f.Counters.DroppedUnknownAddress);
    }

    [Fact]
    public void Media_FromAnAddressThatPassedACheckButWasNotNominated_IsDropped()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();

        f.Receive(TestRequests.Binding(useCandidate: false), Client);
        f.Receive(TestRequests.Rtp, Client);

        Assert.Equal(IceLiteAgentState.New, agent.State);
        Assert.Equal(0, handler.DatagramCount);
        Assert.Equal(1, f.Counters.DroppedNotStunBeforeValidation);
        Assert.False(agent.TrySend(TestRequests.Rtp));
    }

    [Fact]
    public void Media_FromTheSelectedAddress_IsDeliveredWithItsKind()
    {
        using var f = new IceLiteServerFixture();
        (_, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        byte[] rtcp = [0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        f.Receive(TestRequests.Dtls, Client);
        f.Receive(TestRequests.Rtp, Client);
        f.Receive(rtcp, Client);

        Assert.Equal([PacketKind.Dtls, PacketKind.Rtp, PacketKind.Rtcp], handler.Datagrams.Select(d => d.Kind));
        Assert.Equal(TestRequests.Rtp, handler.Datagrams.ElementAt(1).Datagram);
        Assert.Equal(3, f.Counters.DatagramsDelivered);
    }

    [Fact]
    public void Datagram_WhoseFirstByteNoProtocolUses_IsDroppedAsClassifiedUnknown()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);

        f.Receive([70, 1, 2, 3], Client);
        f.Receive([], Client);

        Assert.Equal(2, f.Counters.DroppedClassifiedUnknown);
    }

    [Fact]
    public void Agent_SendsToTheSelectedAddressOnlyOnceConnected()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, _) = f.CreateAgent();
        Assert.False(agent.TrySend(TestRequests.Rtp));

        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        Assert.True(agent.TrySend(TestRequests.Rtp));
        Assert.Equal(Client, f.Sender.LastDestination);
        Assert.Equal(TestRequests.Rtp, f.Sender.Last.ToArray());
    }

    [Fact]
    public void NominationFromANewAddress_MovesTheSelectedPairAndDropsMediaFromTheOldOne()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);

        f.Receive(TestRequests.Binding(transactionByte: 2), OtherClient);
        f.Receive(TestRequests.Rtp, Client);
        f.Receive(TestRequests.Rtp, OtherClient);

        Assert.True(agent.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(OtherClient, selected);
        Assert.Equal([Client, OtherClient], handler.SelectedAddresses);
        Assert.Equal(1, handler.DatagramCount);
        Assert.Equal(1, f.Counters.DroppedUnknownAddress);
        Assert.Equal(1, f.Server.AddressCount);
        Assert.Equal(2, f.Counters.Nominations);
    }

    [Fact]
    public void CheckWithoutUseCandidateFromANewAddress_KeepsTheSelectedPair()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);

        f.Receive(TestRequests.Binding(useCandidate: false), OtherClient);
        f.Receive(TestRequests.Rtp, OtherClient);

        Assert.True(agent.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(Client, selected);
        Assert.Equal(2, f.Counters.BindingSuccessResponses);
        Assert.Equal(1, f.Counters.DroppedNotStunBeforeValidation);
        Assert.Equal(2, f.Server.AddressCount);
        Assert.Single(handler.SelectedAddresses);
    }

    [Fact]
    public void Nomination_OfAnAddressAnotherAgentHolds_IsRefused()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent first, RecordingAgentHandler firstHandler) = f.CreateAgent();
        var secondCredentials = IceCredentials.Create("Another1", "AnotherPasswordAnotherPa");
        (IceLiteAgent second, _) = f.CreateAgent(secondCredentials);
        f.Receive(TestRequests.Binding(), Client);

        f.Receive(TestRequests.Binding(server: secondCredentials), Client);
        f.Receive(TestRequests.Rtp, Client);

        Assert.Equal(IceLiteAgentState.New, second.State);
        Assert.True(first.TryGetSelectedAddress(out StunTransportAddress selected));
        Assert.Equal(Client, selected);
        Assert.Equal(1, firstHandler.DatagramCount);
        Assert.Equal(1, f.Counters.NominationConflicts);
    }

    [Fact]
    public void Consent_IsLostAfterThirtySecondsWithoutAChecks()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        f.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(IceLiteAgentState.Connected, agent.State);
        Assert.Equal(0, handler.ConsentLostCount);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
        Assert.Equal(1, handler.ConsentLostCount);
        Assert.Equal(1, f.Counters.ConsentLosses);
        Assert.Equal(0, f.Server.AddressCount);

        // Nothing is accepted or sent any more, and a late check is not answered.
        Assert.False(agent.TrySend(TestRequests.Rtp));
        f.Receive(TestRequests.Rtp, Client);
        f.Receive(TestRequests.Binding(transactionByte: 3), Client);
        Assert.Equal(0, handler.DatagramCount);
        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(1, f.Counters.DroppedConsentLost);

        f.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, handler.ConsentLostCount);
    }

    [Fact]
    public void Consent_IsKeptByAChecksEveryFiveSeconds()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);

        for (int i = 0; i < 24; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5));
            f.Receive(TestRequests.Binding(useCandidate: false, transactionByte: (byte)(10 + i)), Client);
        }

        Assert.Equal(IceLiteAgentState.Connected, agent.State);
        Assert.Equal(0, handler.ConsentLostCount);
    }

    [Fact]
    public void Consent_IsNotRefreshedByChecksFromAnotherAddress()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);

        for (int i = 0; i < 7; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5));
            f.Receive(TestRequests.Binding(useCandidate: false, transactionByte: (byte)(10 + i)), OtherClient);
        }

        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
        Assert.Equal(1, handler.ConsentLostCount);
        Assert.Equal(0, f.Server.AddressCount);
    }

    [Fact]
    public void ConsentTimeout_IsConfigurable()
    {
        using var f = new IceLiteServerFixture(new IceLiteServerOptions { ConsentTimeout = TimeSpan.FromSeconds(10), ConsentSweepInterval = TimeSpan.FromMilliseconds(500) });
        (IceLiteAgent agent, _) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);

        f.Time.Advance(TimeSpan.FromSeconds(10.5));

        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
    }

    [Fact]
    public void AgentNeverNominated_KeepsWaitingWithoutLosingConsent()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();

        f.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(IceLiteAgentState.New, agent.State);
        Assert.Equal(0, handler.ConsentLostCount);
    }

    [Fact]
    public void DisposedAgent_IsUnregisteredAndItsChecksAndMediaAreDropped()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        agent.Dispose();
        f.Receive(TestRequests.Binding(transactionByte: 2), Client);
        f.Receive(TestRequests.Rtp, Client);

        Assert.Equal(IceLiteAgentState.Closed, agent.State);
        Assert.Equal(0, f.Server.AgentCount);
        Assert.Equal(0, f.Server.AddressCount);
        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(0, handler.DatagramCount);
        Assert.Equal(1, f.Counters.DroppedUnknownUfrag);
        Assert.Equal(1, f.Counters.DroppedUnknownAddress);

        // The ufrag is free again.
        f.CreateAgent();
    }

    [Fact]
    public void CreateAgent_GeneratesDistinctCredentialsAndRefusesADuplicateUfrag()
    {
        using var f = new IceLiteServerFixture();
        var handler = new RecordingAgentHandler();
        var ufrags = new HashSet<string>();
        for (int i = 0; i < 100; i++)
        {
            IceLiteAgent agent = f.Server.CreateAgent(handler);
            Assert.True(ufrags.Add(agent.LocalCredentials.Ufrag));
            Assert.Equal(IceCredentials.GeneratedPasswordLength, agent.LocalCredentials.Password.Length);
        }

        f.CreateAgent();
        Assert.Throws<InvalidOperationException>(() => f.CreateAgent());
        Assert.Throws<ArgumentException>(() => f.Server.CreateAgent(handler, remoteUfrag: "a:b"));
        Assert.Equal(101, f.Server.AgentCount);
    }

    [Fact]
    public void EveryTruncatedPrefixAndSeededCorruptionOfACheck_IsDroppedWithoutThrowingOrAnswering()
    {
        using var f = new IceLiteServerFixture();
        f.CreateAgent();
        byte[] valid = TestRequests.Binding();

        foreach (byte[] truncated in HostileInput.Truncations(valid))
        {
            f.Receive(truncated, Client);
        }

        Assert.Equal(0, f.Sender.Count);

        // Only bytes after MESSAGE-INTEGRITY escape the HMAC: a corruption that turns FINGERPRINT
        // into an attribute the reader ignores there leaves the authenticated request as it was,
        // and that one is rightly answered. Nothing else may be.
        int authenticatedLength = valid.Length - StunFingerprint.AttributeLength;
        foreach ((int seed, byte[] corrupted) in HostileInput.Corruptions(valid, seeds: 200, perSeed: 20))
        {
            long answeredBefore = f.Counters.BindingSuccessResponses;
            f.Receive(corrupted, Client);
            if (f.Counters.BindingSuccessResponses != answeredBefore)
            {
                Assert.True(
                    corrupted.AsSpan(0, authenticatedLength).SequenceEqual(valid.AsSpan(0, authenticatedLength)),
                    $"seed {seed}: a changed request was answered");
            }
        }

        Assert.Equal(f.Counters.BindingSuccessResponses + f.Counters.ErrorResponses, f.Sender.Count);
        Assert.True(f.Server.AddressCount <= 1);
    }
}
