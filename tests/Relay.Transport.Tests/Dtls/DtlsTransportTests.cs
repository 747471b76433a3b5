using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

public class DtlsTransportTests
{
    [Theory]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm)]
    [InlineData(DtlsSrtpProfile.AeadAes256Gcm)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag80)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag32)]
    public void Handshake_CompletesWithCrossedKeys_ForEachSrtpProfile(DtlsSrtpProfile profile)
    {
        using var link = new DtlsLink(client: o => o with { SrtpProfiles = [profile] });

        link.Run();

        AssertConnectedWithCrossedKeys(link);
        Assert.Equal(profile, link.Server.SrtpKeys!.Profile);
        Assert.Equal(profile, link.Client.SrtpKeys!.Profile);
        Assert.Equal((ushort)profile, link.Server.SrtpKeys.ProfileId);
        Assert.Equal(DtlsSrtpKeys.GetMasterKeyLength(profile), link.Server.SrtpKeys.LocalMasterKey.Length);
        Assert.Equal(DtlsSrtpKeys.GetMasterSaltLength(profile), link.Server.SrtpKeys.LocalMasterSalt.Length);
    }

    [Fact]
    public void Handshake_SelectsTheServersMostPreferredProfileAmongThoseTheClientOffers()
    {
        using var link = new DtlsLink(client: o => o with
        {
            SrtpProfiles = [DtlsSrtpProfile.Aes128CmHmacSha1Tag32, DtlsSrtpProfile.Aes128CmHmacSha1Tag80, DtlsSrtpProfile.AeadAes256Gcm],
        });

        link.Run();

        AssertConnectedWithCrossedKeys(link);
        Assert.Equal(DtlsSrtpProfile.AeadAes256Gcm, link.Server.SrtpKeys!.Profile);
    }

    [Fact]
    public void Handshake_FailsOnBothSides_WhenNoSrtpProfileIsShared()
    {
        using var link = new DtlsLink(
            server: o => o with { SrtpProfiles = [DtlsSrtpProfile.AeadAes128Gcm] },
            client: o => o with { SrtpProfiles = [DtlsSrtpProfile.Aes128CmHmacSha1Tag80] });

        link.Run();

        Assert.Equal(DtlsState.Failed, link.Server.State);
        Assert.Equal(DtlsState.Failed, link.Client.State);
        Assert.Contains("did not negotiate SRTP", link.Server.Reason, StringComparison.Ordinal);
        Assert.Contains("did not negotiate SRTP", link.Client.Reason, StringComparison.Ordinal);
        Assert.Null(link.Server.SrtpKeys);
        Assert.Null(link.Client.SrtpKeys);
    }

    [Fact]
    public void Handshake_ReportsConnectingThenConnected_ToBothListeners()
    {
        using var link = new DtlsLink();

        link.Run();

        Assert.Equal([DtlsState.Connecting, DtlsState.Connected], link.ServerListener.States);
        Assert.Equal([DtlsState.Connecting, DtlsState.Connected], link.ClientListener.States);
        Assert.Null(link.Server.Reason);
    }

    [Fact]
    public void Handshake_FailsOnBothSidesWithoutKeys_WhenTheClientCertificateDoesNotMatchTheServersFingerprint()
    {
        using var link = new DtlsLink(server: o => o with { RemoteFingerprint = TestCertificates.Other.Fingerprint });

        link.Run();

        Assert.Equal(DtlsState.Failed, link.Server.State);
        Assert.StartsWith("remote certificate fingerprint does not match the SDP", link.Server.Reason, StringComparison.Ordinal);
        Assert.Contains(TestCertificates.Other.Fingerprint.ToString(), link.Server.Reason, StringComparison.Ordinal);
        Assert.Contains(TestCertificates.Client.Fingerprint.ToString(), link.Server.Reason, StringComparison.Ordinal);

        // The client learns from the server's fatal alert.
        Assert.Equal(DtlsState.Failed, link.Client.State);
        Assert.Contains("bad certificate", link.Client.Reason, StringComparison.Ordinal);
        Assert.Null(link.Server.SrtpKeys);
        Assert.Null(link.Client.SrtpKeys);
        Assert.Equal([DtlsState.Connecting, DtlsState.Failed], link.ServerListener.States);
    }

    [Fact]
    public void Handshake_FailsOnBothSidesWithoutKeys_WhenTheServerCertificateDoesNotMatchTheClientsFingerprint()
    {
        using var link = new DtlsLink(client: o => o with { RemoteFingerprint = TestCertificates.Other.Fingerprint });

        link.Run();

        Assert.Equal(DtlsState.Failed, link.Client.State);
        Assert.StartsWith("remote certificate fingerprint does not match the SDP", link.Client.Reason, StringComparison.Ordinal);
        Assert.Equal(DtlsState.Failed, link.Server.State);
        Assert.Contains("bad certificate", link.Server.Reason, StringComparison.Ordinal);
        Assert.Null(link.Server.SrtpKeys);
        Assert.Null(link.Client.SrtpKeys);
    }

    [Theory]
    [InlineData(DtlsHashAlgorithm.Sha256)]
    [InlineData(DtlsHashAlgorithm.Sha384)]
    [InlineData(DtlsHashAlgorithm.Sha512)]
    public void Handshake_ChecksFingerprintsOfEachSupportedHash(DtlsHashAlgorithm algorithm)
    {
        using var link = new DtlsLink(
            server: o => o with { RemoteFingerprint = TestCertificates.Client.GetFingerprint(algorithm) },
            client: o => o with { RemoteFingerprint = TestCertificates.Server.GetFingerprint(algorithm) });

        link.Run();

        AssertConnectedWithCrossedKeys(link);
    }

    [Fact]
    public void Handshake_FailsWhenTheFingerprintHashIsRightButTheBytesDiffer()
    {
        byte[] value = TestCertificates.Client.GetFingerprint(DtlsHashAlgorithm.Sha384).Value.ToArray();
        value[^1] ^= 1;
        using var link = new DtlsLink(server: o => o with { RemoteFingerprint = DtlsFingerprint.Create(DtlsHashAlgorithm.Sha384, value) });

        link.Run();

        Assert.Equal(DtlsState.Failed, link.Server.State);
        Assert.StartsWith("remote certificate fingerprint does not match the SDP", link.Server.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string> LossPatterns() =>
    [
        "client hello",
        "server first flight",
        "client second flight",
        "server final flight",
        "first two of each direction",
        "every other datagram",
    ];

    [Theory]
    [MemberData(nameof(LossPatterns))]
    public void Handshake_CompletesThroughRetransmission_WhenFlightsAreLost(string pattern)
    {
        using var link = new DtlsLink();
        bool serverFinalDropped = false;
        link.Drop = pattern switch
        {
            "client hello" => (fromServer, index, _) => !fromServer && index == 0,
            "server first flight" => (fromServer, index, _) => fromServer && index == 0,
            "client second flight" => (fromServer, index, _) => !fromServer && index == 1,

            // The server is already Connected when its CCS+Finished is lost; it must answer the
            // client's retransmitted flight from that state.
            // OpenSSL may put a NewSessionTicket ahead of the CCS in the same datagram: look at every record.
            "server final flight" => (fromServer, _, datagram) =>
                fromServer && HasRecordOfType(datagram, 20) && !serverFinalDropped && (serverFinalDropped = true),
            "first two of each direction" => (_, index, _) => index < 2,
            _ => (_, index, _) => index % 2 == 0 && index < 8,
        };

        link.Run();

        AssertConnectedWithCrossedKeys(link);
        Assert.True(pattern != "server final flight" || serverFinalDropped, "The server's final flight was never seen, so nothing was dropped.");
        Assert.InRange(link.Timeouts, 1, 20);
    }

    // DTLS records: type (1), version (2), epoch (2), sequence (6), length (2), then the fragment.
    private static bool HasRecordOfType(ReadOnlySpan<byte> datagram, byte type)
    {
        while (datagram.Length >= 13)
        {
            if (datagram[0] == type)
            {
                return true;
            }

            int length = (datagram[11] << 8) | datagram[12];
            if (datagram.Length < 13 + length)
            {
                return false;
            }

            datagram = datagram[(13 + length)..];
        }

        return false;
    }

    [Fact]
    public void Handshake_FailsAtItsTimeLimit_WhenNothingArrives()
    {
        var time = new ManualTimeProvider();
        var listener = new RecordingListener();
        using var client = new DtlsTransport(ClientOptions() with { HandshakeTimeout = TimeSpan.FromSeconds(30) }, listener, time);
        client.Start();

        Assert.InRange(client.GetTimeout()!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(29));
        client.HandleTimeout();
        Assert.Equal(DtlsState.Connecting, client.State);
        Assert.InRange(client.GetTimeout()!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, client.GetTimeout());
        client.HandleTimeout();

        Assert.Equal(DtlsState.Failed, client.State);
        Assert.Equal("the DTLS handshake did not complete within 30 s: no DTLS packets arrived from the peer", client.Reason);
        Assert.Equal([DtlsState.Connecting, DtlsState.Failed], listener.States);
        Assert.Null(client.GetTimeout());
    }

    [Fact]
    public void Handshake_FailsAtItsTimeLimit_WhenThePeerStopsAnswering()
    {
        var time = new ManualTimeProvider();
        using var link = new DtlsLink(timeProvider: time);
        link.Start();
        link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());

        time.Advance(TimeSpan.FromSeconds(30));
        link.Server.HandleTimeout();

        Assert.Equal(DtlsState.Failed, link.Server.State);
        Assert.Equal("the DTLS handshake did not complete within 30 s: the peer stopped answering", link.Server.Reason);
    }

    [Fact]
    public void GetTimeout_IsNullBeforeStartAndOnceConnected_AndTheTimeLimitForAServerAwaitingItsClient()
    {
        using var link = new DtlsLink();
        Assert.Null(link.Server.GetTimeout());

        link.Server.Start();
        Assert.InRange(link.Server.GetTimeout()!.Value, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));

        link.Client.Start();
        Assert.InRange(link.Client.GetTimeout()!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(30));

        link.RunToSettled();
        AssertConnectedWithCrossedKeys(link);
        Assert.Null(link.Server.GetTimeout());
        Assert.Null(link.Client.GetTimeout());
    }

    [Fact]
    public void HandleTimeout_BeforeTheTimerExpires_SendsNothing()
    {
        var listener = new RecordingListener();
        using var client = new DtlsTransport(ClientOptions() with { InitialRetransmissionTimeout = TimeSpan.FromSeconds(5), MaxRetransmissionTimeout = TimeSpan.FromSeconds(5) }, listener);
        client.Start();
        Assert.Single(listener.Sent);

        client.HandleTimeout();

        Assert.Single(listener.Sent);
        Assert.Equal(DtlsState.Connecting, client.State);
    }

    [Fact]
    public void Close_SendsCloseNotify_AndThePeerMovesToClosed()
    {
        using var link = new DtlsLink();
        link.Run();

        link.Client.Close();
        link.Deliver();

        Assert.Equal(DtlsState.Closed, link.Client.State);
        Assert.Equal("closed locally", link.Client.Reason);
        Assert.Equal(DtlsState.Closed, link.Server.State);
        Assert.Equal("the peer closed the DTLS connection (close_notify)", link.Server.Reason);
        Assert.Equal([DtlsState.Connecting, DtlsState.Connected, DtlsState.Closed], link.ServerListener.States);
        Assert.Equal([DtlsState.Connecting, DtlsState.Connected, DtlsState.Closed], link.ClientListener.States);
    }

    [Fact]
    public void Close_DuringTheHandshake_ClosesWithoutSending_AndLaterInputIsDropped()
    {
        using var link = new DtlsLink();
        link.Start();
        link.Server.ProcessIncoming(link.ClientListener.Outgoing.Dequeue());
        int sent = link.ServerListener.Sent.Count;

        link.Server.Close();
        link.Server.Close();
        link.Deliver();

        Assert.Equal(DtlsState.Closed, link.Server.State);
        Assert.Equal("closed locally before the handshake completed", link.Server.Reason);
        Assert.Equal(sent, link.ServerListener.Sent.Count);
        Assert.Equal([DtlsState.Connecting, DtlsState.Closed], link.ServerListener.States);
        Assert.True(link.Server.DroppedDatagrams > 0);
        Assert.Null(link.Server.GetTimeout());
    }

    [Fact]
    public void Datagrams_NeverExceedTheMtu_AndTheCertificateIsFragmentedToFit()
    {
        using var link = new DtlsLink(server: o => o with { Mtu = 300 }, client: o => o with { Mtu = 300 });

        link.Run();

        AssertConnectedWithCrossedKeys(link);
        Assert.All(link.ServerListener.Sent, d => Assert.InRange(d.Length, 1, 300));
        Assert.All(link.ClientListener.Sent, d => Assert.InRange(d.Length, 1, 300));
    }

    [Fact]
    public void Datagrams_PackWholeRecordsUpToTheDefaultMtu()
    {
        // Nothing is lost here, so no flight should be retransmitted; a long first timeout keeps a
        // slow, loaded run from retransmitting anyway and counting extra datagrams.
        var patient = TimeSpan.FromSeconds(10);
        using var link = new DtlsLink(
            server: o => o with { InitialRetransmissionTimeout = patient, MaxRetransmissionTimeout = patient },
            client: o => o with { InitialRetransmissionTimeout = patient, MaxRetransmissionTimeout = patient });

        link.Run();

        // The server's first flight (ServerHello to ServerHelloDone) fits one 1200-byte datagram.
        Assert.All(link.ServerListener.Sent, d => Assert.InRange(d.Length, 1, 1200));
        Assert.All(link.ServerListener.Sent.Concat(link.ClientListener.Sent), AssertWholeRecords);
        Assert.Equal(2, link.ServerListener.Sent.Count);
    }

    [Fact]
    public void Dispose_FromTheStateCallback_IsDeferredUntilTheCallReturns()
    {
        using var link = new DtlsLink(server: o => o with { RemoteFingerprint = TestCertificates.Other.Fingerprint });
        link.ServerListener.OnState = (transport, state) =>
        {
            if (state == DtlsState.Failed)
            {
                transport.Dispose();
                Assert.Equal(DtlsState.Failed, transport.State);
            }
        };

        link.Run();

        Assert.Equal([DtlsState.Connecting, DtlsState.Failed], link.ServerListener.States);
        Assert.Throws<ObjectDisposedException>(() => link.Server.ProcessIncoming(new byte[20]));
        Assert.Null(link.Server.GetTimeout());
    }

    [Fact]
    public void Close_FromTheStateCallback_RunsOnceTheCallReturns()
    {
        using var link = new DtlsLink();
        link.ClientListener.OnState = (transport, state) =>
        {
            if (state == DtlsState.Connected)
            {
                transport.Close();
                Assert.Equal(DtlsState.Connected, transport.State);
            }
        };

        link.Run();
        link.Deliver();

        Assert.Equal([DtlsState.Connecting, DtlsState.Connected, DtlsState.Closed], link.ClientListener.States);
        Assert.Equal(DtlsState.Closed, link.Server.State);
    }

    [Fact]
    public void CloseThenDispose_FromTheStateCallback_StillSendsCloseNotify()
    {
        using var link = new DtlsLink();
        bool clientGone = false;
        link.ClientListener.OnState = (transport, state) =>
        {
            if (state == DtlsState.Connected)
            {
                transport.Close();
                transport.Dispose();
                clientGone = true;
            }
        };

        // An owner stops routing datagrams to a transport it has disposed.
        link.Drop = (fromServer, _, _) => fromServer && clientGone;

        link.Run();
        link.Deliver();

        Assert.Equal(DtlsState.Closed, link.Server.State);
        Assert.Contains("close_notify", link.Server.Reason, StringComparison.Ordinal);
        Assert.Null(link.Client.GetTimeout());
    }

    [Fact]
    public void ListenerCallingBackIntoTheTransport_Throws()
    {
        var listener = new RecordingListener();
        using var client = new DtlsTransport(ClientOptions(), listener);
        listener.OnSend = (transport, _) => transport.ProcessIncoming(new byte[20]);

        Assert.Throws<InvalidOperationException>(client.Start);
    }

    [Fact]
    public void ProcessIncoming_BeforeStart_Throws_AndStartTwiceThrows()
    {
        using var client = new DtlsTransport(ClientOptions(), new RecordingListener());

        Assert.Throws<InvalidOperationException>(() => client.ProcessIncoming(new byte[20]));
        client.Start();
        Assert.Throws<InvalidOperationException>(client.Start);
    }

    [Fact]
    public void Dispose_ClearsTheExportedKeys()
    {
        var link = new DtlsLink();
        link.Run();
        DtlsSrtpKeys keys = link.Server.SrtpKeys!;
        Assert.Contains(keys.LocalMasterKey.ToArray(), b => b != 0);

        link.Dispose();

        Assert.DoesNotContain(keys.LocalMasterKey.ToArray(), b => b != 0);
        Assert.DoesNotContain(keys.RemoteMasterSalt.ToArray(), b => b != 0);
    }

    [Fact]
    public void Constructor_RejectsOptionsOutsideTheirRanges()
    {
        var listener = new RecordingListener();
        DtlsTransportOptions options = ClientOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => new DtlsTransport(options with { Mtu = 100 }, listener));
        Assert.Throws<ArgumentException>(() => new DtlsTransport(options with { SrtpProfiles = [] }, listener));
        Assert.Throws<ArgumentException>(() => new DtlsTransport(options with { SrtpProfiles = [(DtlsSrtpProfile)3] }, listener));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtlsTransport(options with { InitialRetransmissionTimeout = TimeSpan.FromMilliseconds(10) }, listener));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtlsTransport(options with { HandshakeTimeout = TimeSpan.Zero }, listener));
        Assert.Throws<ArgumentNullException>(() => new DtlsTransport(options, null!));
    }

    [Fact]
    public void Constructor_RejectsADisposedCertificate()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate();
        certificate.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new DtlsTransport(ClientOptions() with { Certificate = certificate }, new RecordingListener()));
    }

    [Fact]
    public void ExistingTransports_KeepWorking_AfterTheirCertificateIsDisposed()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate("short-lived");
        using var link = new DtlsLink(
            server: o => o with { Certificate = certificate },
            client: o => o with { RemoteFingerprint = certificate.Fingerprint });
        certificate.Dispose();

        link.Run();

        AssertConnectedWithCrossedKeys(link);
    }

    internal static DtlsTransportOptions ClientOptions() => new()
    {
        Role = DtlsRole.Client,
        Certificate = TestCertificates.Client,
        RemoteFingerprint = TestCertificates.Server.Fingerprint,
    };

    internal static void AssertConnectedWithCrossedKeys(DtlsLink link)
    {
        Assert.True(link.Server.State == DtlsState.Connected, $"server {link.Server.State}: {link.Server.Reason}");
        Assert.True(link.Client.State == DtlsState.Connected, $"client {link.Client.State}: {link.Client.Reason}");
        DtlsSrtpKeys server = link.Server.SrtpKeys!;
        DtlsSrtpKeys client = link.Client.SrtpKeys!;
        Assert.Equal(server.Profile, client.Profile);
        Assert.True(server.LocalMasterKey.SequenceEqual(client.RemoteMasterKey));
        Assert.True(server.LocalMasterSalt.SequenceEqual(client.RemoteMasterSalt));
        Assert.True(server.RemoteMasterKey.SequenceEqual(client.LocalMasterKey));
        Assert.True(server.RemoteMasterSalt.SequenceEqual(client.LocalMasterSalt));
        Assert.False(server.LocalMasterKey.SequenceEqual(server.RemoteMasterKey));
    }

    private static void AssertWholeRecords(byte[] datagram)
    {
        int at = 0;
        while (at < datagram.Length)
        {
            Assert.True(datagram.Length - at >= 13);
            at += 13 + ((datagram[at + 11] << 8) | datagram[at + 12]);
        }

        Assert.Equal(datagram.Length, at);
    }
}
