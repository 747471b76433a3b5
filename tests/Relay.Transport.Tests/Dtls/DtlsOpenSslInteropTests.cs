using System.Net;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

/// <summary>
/// Interoperability with an independent DTLS implementation: the openssl command-line tool over
/// real loopback UDP. Each test bounds its own time and kills the tool at the end.
/// </summary>
public class DtlsOpenSslInteropTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);

    [Fact]
    public void Server_CompletesHandshakeWithOpenSslClient_AndItsExportedKeysMatch()
    {
        using PemFiles peer = PemFiles.CreateEcdsa("s_client");
        using var relay = new UdpDtlsPeer(new DtlsTransportOptions
        {
            Role = DtlsRole.Server,
            Certificate = TestCertificates.Server,
            RemoteFingerprint = DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, peer.Der),
        });
        relay.Transport.Start();

        using OpenSslProcess client = OpenSslProcess.Start(
            "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{relay.Port}",
            "-cert", peer.CertificatePath, "-key", peer.KeyPath,
            "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60");

        bool connected = relay.RunUntil(
            () => relay.Transport.State != DtlsState.Connecting || client.Contains("Keying material:"),
            s_limit);

        Assert.True(connected, "timed out; s_client said:\n" + client.Output);
        Assert.True(relay.RunUntil(() => client.Contains("Keying material:"), s_limit), client.Output);
        Assert.Equal(DtlsState.Connected, relay.Transport.State);
        DtlsSrtpKeys keys = relay.Transport.SrtpKeys!;
        Assert.Equal(DtlsSrtpProfile.Aes128CmHmacSha1Tag80, keys.Profile);
        Assert.Contains("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80", client.Output, StringComparison.Ordinal);
        Assert.Equal(client.ValueAfter("Keying material:"), ExporterOutputHex(keys, DtlsRole.Server));
        Assert.True(relay.LargestDatagram <= 1200);

        // End of input makes s_client send close_notify.
        client.CloseInput();
        Assert.True(relay.RunUntil(() => relay.Transport.State != DtlsState.Connected, s_limit), client.Output);
        Assert.Equal(DtlsState.Closed, relay.Transport.State);
        Assert.Contains("close_notify", relay.Transport.Reason, StringComparison.Ordinal);
        Assert.Equal([DtlsState.Connecting, DtlsState.Connected, DtlsState.Closed], relay.States);
    }

    [Theory]
    [InlineData(DtlsSrtpProfile.AeadAes256Gcm, "SRTP_AEAD_AES_256_GCM", 88)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag32, "SRTP_AES128_CM_SHA1_32", 60)]
    public void Client_CompletesHandshakeWithOpenSslServer_ThroughItsCookieExchange(DtlsSrtpProfile profile, string name, int exportLength)
    {
        using PemFiles peer = PemFiles.CreateEcdsa("s_server");
        int port = UdpDtlsPeer.FindFreePort();
        using OpenSslProcess server = OpenSslProcess.Start(
            "s_server", "-dtls1_2", "-accept", $"127.0.0.1:{port}", "-naccept", "1",
            "-cert", peer.CertificatePath, "-key", peer.KeyPath, "-Verify", "1",
            "-use_srtp", name,
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", exportLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(server.WaitFor("ACCEPT", s_limit), server.Output);

        using var relay = new UdpDtlsPeer(
            new DtlsTransportOptions
            {
                Role = DtlsRole.Client,
                Certificate = TestCertificates.Client,
                RemoteFingerprint = DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, peer.Der),
            },
            new IPEndPoint(IPAddress.Loopback, port));
        relay.Transport.Start();

        Assert.True(
            relay.RunUntil(() => relay.Transport.State != DtlsState.Connecting && server.Contains("Keying material:"), s_limit),
            $"state {relay.Transport.State} ({relay.Transport.Reason}); s_server said:\n{server.Output}");

        Assert.Equal(DtlsState.Connected, relay.Transport.State);
        Assert.Equal(profile, relay.Transport.SrtpKeys!.Profile);
        Assert.Contains("SRTP Extension negotiated, profile=" + name, server.Output, StringComparison.Ordinal);
        Assert.Equal(server.ValueAfter("Keying material:"), ExporterOutputHex(relay.Transport.SrtpKeys, DtlsRole.Client));

        // Our close_notify ends s_server's connection.
        relay.Transport.Close();
        Assert.Equal(DtlsState.Closed, relay.Transport.State);
        Assert.True(server.WaitFor("CONNECTION CLOSED", s_limit), server.Output);
    }

    [Fact]
    public void Server_FailsWhenOpenSslClientPresentsNoCertificate()
    {
        using var relay = new UdpDtlsPeer(new DtlsTransportOptions
        {
            Role = DtlsRole.Server,
            Certificate = TestCertificates.Server,
            RemoteFingerprint = TestCertificates.Client.Fingerprint,
        });
        relay.Transport.Start();

        using OpenSslProcess client = OpenSslProcess.Start(
            "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{relay.Port}", "-use_srtp", "SRTP_AES128_CM_SHA1_80");

        Assert.True(relay.RunUntil(() => relay.Transport.State != DtlsState.Connecting, s_limit), client.Output);
        Assert.Equal(DtlsState.Failed, relay.Transport.State);
        Assert.Contains("peer did not return a certificate", relay.Transport.Reason, StringComparison.Ordinal);
        Assert.Null(relay.Transport.SrtpKeys);
    }

    // Our client offers only certificate-authenticated suites, so a server that has no
    // certificate (anonymous Diffie-Hellman) has nothing to choose.
    [Fact]
    public void Client_FailsAgainstAnOpenSslServerWithoutACertificate()
    {
        int port = UdpDtlsPeer.FindFreePort();
        using OpenSslProcess server = OpenSslProcess.Start(
            "s_server", "-dtls1_2", "-accept", $"127.0.0.1:{port}", "-naccept", "1",
            "-nocert", "-cipher", "aNULL:@SECLEVEL=0", "-use_srtp", "SRTP_AES128_CM_SHA1_80");
        Assert.True(server.WaitFor("ACCEPT", s_limit), server.Output);

        using var relay = new UdpDtlsPeer(DtlsTransportTests.ClientOptions(), new IPEndPoint(IPAddress.Loopback, port));
        relay.Transport.Start();

        Assert.True(relay.RunUntil(() => relay.Transport.State != DtlsState.Connecting, s_limit), server.Output);
        Assert.Equal(DtlsState.Failed, relay.Transport.State);
        Assert.Contains("handshake failure", relay.Transport.Reason, StringComparison.Ordinal);
        Assert.Null(relay.Transport.SrtpKeys);
    }

    [Fact]
    public void Server_FailsWhenOpenSslClientCertificateDoesNotMatchTheFingerprint()
    {
        using PemFiles peer = PemFiles.CreateEcdsa("s_client");
        using var relay = new UdpDtlsPeer(new DtlsTransportOptions
        {
            Role = DtlsRole.Server,
            Certificate = TestCertificates.Server,
            RemoteFingerprint = TestCertificates.Other.Fingerprint,
        });
        relay.Transport.Start();

        using OpenSslProcess client = OpenSslProcess.Start(
            "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{relay.Port}",
            "-cert", peer.CertificatePath, "-key", peer.KeyPath, "-use_srtp", "SRTP_AES128_CM_SHA1_80");

        Assert.True(relay.RunUntil(() => relay.Transport.State != DtlsState.Connecting, s_limit), client.Output);
        Assert.Equal(DtlsState.Failed, relay.Transport.State);
        Assert.StartsWith("remote certificate fingerprint does not match the SDP", relay.Transport.Reason, StringComparison.Ordinal);
        Assert.Contains(DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, peer.Der).ToString(), relay.Transport.Reason, StringComparison.Ordinal);
        Assert.Null(relay.Transport.SrtpKeys);

        // The tool is told why: a bad_certificate alert.
        Assert.True(client.WaitFor("bad certificate", s_limit), client.Output);
    }

    // ChaCha20-Poly1305 has a 16-byte tag and no explicit nonce: shorter forged records must be
    // dropped (OpenSSL 3.0 would end the connection on them), while the peer's own 18-byte
    // close_notify must still get through.
    [Fact]
    public void Server_WithChaCha20_DropsForgedShortRecords_AndStillHearsCloseNotify()
    {
        using PemFiles peer = PemFiles.CreateEcdsa("s_client");
        using var relay = new UdpDtlsPeer(new DtlsTransportOptions
        {
            Role = DtlsRole.Server,
            Certificate = TestCertificates.Server,
            RemoteFingerprint = DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, peer.Der),
        });
        relay.Transport.Start();

        using OpenSslProcess client = OpenSslProcess.Start(
            "s_client", "-dtls1_2", "-connect", $"127.0.0.1:{relay.Port}",
            "-cert", peer.CertificatePath, "-key", peer.KeyPath,
            "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305", "-use_srtp", "SRTP_AES128_CM_SHA1_80");
        Assert.True(relay.RunUntil(() => relay.Transport.State != DtlsState.Connecting && client.Contains("CHACHA20"), s_limit), client.Output);
        Assert.Equal(DtlsState.Connected, relay.Transport.State);

        using var forger = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (int length = 1; length < 16; length++)
        {
            forger.Send(HostileDatagrams.Record(21, 1, 1000 + (ulong)length, new byte[length]), new IPEndPoint(IPAddress.Loopback, relay.Port));
        }

        Assert.True(relay.RunUntil(() => relay.Transport.DroppedDatagrams == 15, s_limit));
        Assert.Equal(DtlsState.Connected, relay.Transport.State);

        client.CloseInput();
        Assert.True(relay.RunUntil(() => relay.Transport.State != DtlsState.Connected, s_limit), client.Output);
        Assert.Equal(DtlsState.Closed, relay.Transport.State);
    }

    /// <summary>Our keys put back in the exporter's order (RFC 5764 section 4.2), as hex the tools print.</summary>
    internal static string ExporterOutputHex(DtlsSrtpKeys keys, DtlsRole role)
    {
        bool client = role == DtlsRole.Client;
        byte[] material =
        [
            .. client ? keys.LocalMasterKey : keys.RemoteMasterKey,
            .. client ? keys.RemoteMasterKey : keys.LocalMasterKey,
            .. client ? keys.LocalMasterSalt : keys.RemoteMasterSalt,
            .. client ? keys.RemoteMasterSalt : keys.LocalMasterSalt,
        ];
        return Convert.ToHexString(material);
    }
}
