using System.Text;
using Relay.Protocols.Stun;
using Relay.Testing;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

/// <summary>
/// What keeps a peer's consent (RFC 7675) after it is connected, and what does not: the keepalives
/// GStreamer's webrtcbin (libnice 0.1.21) sends with and without keepalive-conncheck, and forgeries
/// of them from the selected address.
/// </summary>
public class IceLiteServerConsentTests
{
    private static readonly StunTransportAddress Client = TestRequests.ClientAddress;

    // libnice 0.1.21's RFC 8445 section 11 keepalive as webrtcbin 1.22 sent it to the relay every 25 s
    // once connected (tshark on loopback, 2026-12-02): a Binding indication with FINGERPRINT only.
    private static readonly byte[] s_libniceKeepaliveIndication = Convert.FromHexString(
        "001100082112a442" +
        "e507fd3999ae5927904247ab" +
        "80280004709c644d");

    [Fact]
    public void LibnicesCapturedKeepaliveIndication_IsAWellFormedBindingIndication()
    {
        Assert.True(StunMessageReader.TryRead(s_libniceKeepaliveIndication, out StunMessageReader message));
        Assert.Equal(StunClass.Indication, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.True(message.VerifyFingerprint());
        Assert.False(message.HasUsername);
        Assert.False(message.HasMessageIntegrity);
    }

    [Fact]
    public void KeepaliveIndications_FromTheSelectedAddress_AreDroppedUnansweredAndDoNotKeepConsent()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        // What webrtcbin did without keepalive-conncheck, though more often than its 25 s.
        for (int second = 5; second <= 30; second += 5)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5));
            f.Receive(s_libniceKeepaliveIndication, Client);
        }

        Assert.Equal(IceLiteAgentState.Connected, agent.State);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
        Assert.Equal(1, handler.ConsentLostCount);
        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(6, f.Counters.DroppedStunNotRequest);
    }

    [Fact]
    public void IndicationsWithTheAgentsUsernameAndIntegrity_DoNotKeepConsent()
    {
        // An indication needs no answer, so even one signed with the password proves nothing fresh:
        // it could be a replay. Only an answered request counts.
        byte[] signedIndication = new RawStunMessage(type: 0x0011)
            .Add(StunAttributeType.Username, Encoding.ASCII.GetBytes(TestRequests.Server.Ufrag + ":" + TestRequests.Client.Ufrag))
            .WithIntegrityAndFingerprint(TestRequests.Server.PasswordBytes);
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, _) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        for (int second = 5; second <= 35; second += 5)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5));
            f.Receive(signedIndication, Client);
        }

        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
        Assert.Equal(0, f.Sender.Count);
    }

    [Fact]
    public void LibnicesKeepaliveChecks_FromTheSelectedAddress_AreAnsweredAndKeepConsentForTheWholeCall()
    {
        // With keepalive-conncheck libnice sends the nominating check's attributes again every 4.5
        // to 5.7 s: USE-CANDIDATE, PRIORITY, ICE-CONTROLLING, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT.
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, RecordingAgentHandler handler) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        for (int i = 0; i < 120; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5.7));
            f.Receive(TestRequests.Binding(useCandidate: true, transactionByte: (byte)(10 + i)), Client);
            Assert.True(StunMessageReader.TryRead(f.TakeOnlyResponse(Client), out StunMessageReader response));
            Assert.Equal(StunClass.SuccessResponse, response.Class);
        }

        Assert.Equal(IceLiteAgentState.Connected, agent.State);
        Assert.Equal(0, handler.ConsentLostCount);
        Assert.Equal([Client], handler.SelectedAddresses);
        Assert.Equal(1, f.Counters.Nominations);
    }

    [Fact]
    public void KeepaliveChecks_WithTheWrongPassword_FromTheSelectedAddress_DoNotKeepConsent()
    {
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, _) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();

        for (int i = 0; i < 7; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5));
            f.Receive(TestRequests.Binding(password: "NotTheServerPasswordAtAll", transactionByte: (byte)(10 + i)), Client);
        }

        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
        Assert.Equal(0, f.Sender.Count);
        Assert.Equal(6, f.Counters.DroppedBadIntegrity);
    }

    [Fact]
    public void TruncatedAndCorruptedKeepaliveChecks_FromTheSelectedAddress_AreNotAnsweredAndDoNotKeepConsent()
    {
        byte[] keepalive = TestRequests.Binding(useCandidate: true, transactionByte: 42);
        using var f = new IceLiteServerFixture();
        (IceLiteAgent agent, _) = f.CreateAgent();
        f.Receive(TestRequests.Binding(), Client);
        f.Sender.Clear();
        f.Time.Advance(TimeSpan.FromSeconds(20));

        foreach (byte[] prefix in HostileInput.Truncations(keepalive))
        {
            ReceiveUnanswered(f, prefix);
        }

        foreach ((int seed, byte[] corrupted) in HostileInput.Corruptions(keepalive, seeds: 50, perSeed: 20))
        {
            if (!SignedPartIntact(keepalive, corrupted))
            {
                ReceiveUnanswered(f, corrupted, seed);
            }
        }

        f.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(IceLiteAgentState.ConsentLost, agent.State);
    }

    private static void ReceiveUnanswered(IceLiteServerFixture f, byte[] datagram, int seed = -1)
    {
        int before = f.Sender.Count;
        f.Receive(datagram, Client);
        if (f.Sender.Count > before)
        {
            Assert.True(StunMessageReader.TryRead(f.Sender.Sent[^1].Datagram, out StunMessageReader response));
            Assert.True(response.Class != StunClass.SuccessResponse, $"Seed {seed}: {Convert.ToHexString(datagram)} was answered with success.");
        }
    }

    // Whether the corruption spared the message type and every byte MESSAGE-INTEGRITY signs (the
    // length field is rewritten for that check anyway). Attributes after MESSAGE-INTEGRITY are
    // ignored (RFC 8489 section 14), so a request whose FINGERPRINT's type alone was damaged still
    // carries an intact signature and is rightly answered.
    private static bool SignedPartIntact(byte[] original, byte[] corrupted)
    {
        int signedEnd = original.Length - StunFingerprint.AttributeLength;
        return corrupted.Length >= signedEnd
            && corrupted.AsSpan(0, 2).SequenceEqual(original.AsSpan(0, 2))
            && corrupted.AsSpan(4, signedEnd - 4).SequenceEqual(original.AsSpan(4, signedEnd - 4));
    }
}
