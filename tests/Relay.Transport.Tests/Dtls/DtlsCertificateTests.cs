using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

public class DtlsCertificateTests
{
    [Fact]
    public void Generate_MakesASelfSignedEcdsaP256CertificateWithAShortName()
    {
        var time = new ManualTimeProvider();
        using DtlsCertificate certificate = DtlsCertificate.Generate("relay", time);
        using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(certificate.RawData);
        using ECDsa? key = parsed.GetECDsaPublicKey();

        Assert.Equal("CN=relay", parsed.Subject);
        Assert.Equal(parsed.Subject, parsed.Issuer);
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SignatureAlgorithm.Value);
        Assert.Equal(time.GetUtcNow().AddDays(-30), certificate.NotBefore, TimeSpan.FromSeconds(1));
        Assert.Equal(time.GetUtcNow().AddYears(1), certificate.NotAfter, TimeSpan.FromSeconds(1));
        Assert.Equal(DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, certificate.RawData).ToString(), certificate.Fingerprint.ToString());
    }

    [Fact]
    public void Generate_MakesADifferentCertificateEachTime()
    {
        using DtlsCertificate first = DtlsCertificate.Generate();
        using DtlsCertificate second = DtlsCertificate.Generate();

        Assert.NotEqual(first.Fingerprint.ToString(), second.Fingerprint.ToString());
    }

    [Fact]
    public void Fingerprint_IsWhatTheOpenSslCommandLineComputes()
    {
        string folder = Directory.CreateTempSubdirectory("relay-dtls-").FullName;
        try
        {
            string path = Path.Combine(folder, "certificate.pem");
            File.WriteAllText(path, PemEncoding.WriteString("CERTIFICATE", TestCertificates.Server.RawData));
            using OpenSslProcess openssl = OpenSslProcess.Start("x509", "-noout", "-fingerprint", "-sha256", "-in", path);

            Assert.True(openssl.WaitFor("Fingerprint=", TimeSpan.FromSeconds(10)), openssl.Output);
            Assert.Equal("sha-256 " + openssl.ValueAfter("Fingerprint="), TestCertificates.Server.Fingerprint.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LoadPemFiles_UsesAnOperatorsEcdsaCertificate()
    {
        using PemFiles files = PemFiles.CreateEcdsa("operator");
        using DtlsCertificate certificate = DtlsCertificate.LoadPemFiles(files.CertificatePath, files.KeyPath);

        Assert.Equal(files.Der, certificate.RawData.ToArray());
        Assert.Equal(DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, files.Der).ToString(), certificate.Fingerprint.ToString());
        AssertHandshakeCompletesWithServerCertificate(certificate);
    }

    [Fact]
    public void LoadPemFiles_UsesAnOperatorsRsaCertificate()
    {
        using PemFiles files = PemFiles.CreateRsa("operator");
        using DtlsCertificate certificate = DtlsCertificate.LoadPemFiles(files.CertificatePath, files.KeyPath);

        AssertHandshakeCompletesWithServerCertificate(certificate);
    }

    [Fact]
    public void FromPem_ReadsAnEncryptedKeyWithItsPassword()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=operator", key, HashAlgorithmName.SHA256);
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string keyPem = key.ExportEncryptedPkcs8PrivateKeyPem(
            "secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));

        using DtlsCertificate certificate = DtlsCertificate.FromPem(created.ExportCertificatePem(), keyPem, "secret");

        AssertHandshakeCompletesWithServerCertificate(certificate);
    }

    [Fact]
    public void FromPem_RejectsAKeyThatIsNotTheCertificates()
    {
        using PemFiles one = PemFiles.CreateEcdsa("one");
        using PemFiles other = PemFiles.CreateEcdsa("other");

        Assert.ThrowsAny<ArgumentException>(() => DtlsCertificate.FromPem(one.CertificatePem, other.KeyPem));
    }

    [Fact]
    public void GetFingerprint_GivesEachSupportedHash()
    {
        DtlsCertificate certificate = TestCertificates.Server;

        Assert.Equal(SHA384.HashData(certificate.RawData), certificate.GetFingerprint(DtlsHashAlgorithm.Sha384).Value.ToArray());
        Assert.Equal(SHA512.HashData(certificate.RawData), certificate.GetFingerprint(DtlsHashAlgorithm.Sha512).Value.ToArray());
        Assert.Same(certificate.Fingerprint, certificate.GetFingerprint(DtlsHashAlgorithm.Sha256));
    }

    private static void AssertHandshakeCompletesWithServerCertificate(DtlsCertificate certificate)
    {
        using var link = new DtlsLink(
            server: o => o with { Certificate = certificate },
            client: o => o with { RemoteFingerprint = certificate.Fingerprint });

        link.Run();

        DtlsTransportTests.AssertConnectedWithCrossedKeys(link);
    }
}
