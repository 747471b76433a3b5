using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Relay.Transport.Tests.Dtls;

/// <summary>A self-signed certificate and key written as PEM files in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class PemFiles : IDisposable
{
    private readonly string _folder;

    private PemFiles(string folder, string certificatePem, string keyPem, byte[] der)
    {
        _folder = folder;
        CertificatePath = Path.Combine(folder, "certificate.pem");
        KeyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(CertificatePath, certificatePem);
        File.WriteAllText(KeyPath, keyPem);
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        Der = der;
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    public byte[] Der { get; }

    public static PemFiles CreateEcdsa(string commonName = "peer")
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        return Create(request, key.ExportPkcs8PrivateKeyPem());
    }

    public static PemFiles CreateRsa(string commonName = "peer")
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Create(request, key.ExportRSAPrivateKeyPem());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PemFiles Create(CertificateRequest request, string keyPem)
    {
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        string folder = Directory.CreateTempSubdirectory("relay-dtls-").FullName;
        return new PemFiles(folder, certificate.ExportCertificatePem(), keyPem, certificate.RawData);
    }
}
