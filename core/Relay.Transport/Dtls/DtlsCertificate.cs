using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Relay.Transport.Dtls.Interop;

namespace Relay.Transport.Dtls;

/// <summary>
/// The certificate and private key a node presents in every DTLS handshake. Peers trust it through
/// its fingerprint in the SDP, not through a CA, so a self-signed one (see <see cref="Generate"/>) is
/// the norm; operators may configure their own (<see cref="LoadPemFiles"/>). Thread-safe: one
/// instance serves all transports of a node. Transports already created keep working after it is
/// disposed; new ones cannot be created.
/// </summary>
public sealed class DtlsCertificate : IDisposable
{
    private readonly byte[] _der;
    private readonly SafeSslContextHandle _context;

    private DtlsCertificate(byte[] der, ReadOnlySpan<byte> pkcs8PrivateKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        _der = der;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Fingerprint = DtlsFingerprint.Compute(DtlsHashAlgorithm.Sha256, der);
        _context = CreateContext(der, pkcs8PrivateKey);
    }

    /// <summary>The SHA-256 fingerprint to put in SDP (<c>a=fingerprint:</c> followed by its <see cref="DtlsFingerprint.ToString"/>).</summary>
    public DtlsFingerprint Fingerprint { get; }

    public DateTimeOffset NotBefore { get; }

    /// <summary>When the certificate expires; generate a new one before then.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The certificate's DER encoding.</summary>
    public ReadOnlySpan<byte> RawData => _der;

    internal SafeSslContextHandle Context
    {
        get
        {
            ObjectDisposedException.ThrowIf(_context.IsClosed, this);
            return _context;
        }
    }

    /// <summary>
    /// A new self-signed ECDSA P-256 certificate, as browsers generate for WebRTC: a short subject,
    /// valid from 30 days ago (so peers with a slow clock accept it) to a year ahead.
    /// </summary>
    public static DtlsCertificate Generate(string commonName = "relay", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        DateTimeOffset now = (timeProvider ?? TimeProvider.System).GetUtcNow();

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + commonName), key, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(1));
        return FromCertificate(certificate, key.ExportPkcs8PrivateKey());
    }

    /// <summary>
    /// A certificate and its private key in PEM (CERTIFICATE, and PRIVATE KEY, EC PRIVATE KEY or RSA
    /// PRIVATE KEY, or ENCRYPTED PRIVATE KEY with <paramref name="privateKeyPassword"/>). If the
    /// certificate text holds a chain, the first certificate is the one presented.
    /// </summary>
    public static DtlsCertificate FromPem(string certificatePem, string privateKeyPem, string? privateKeyPassword = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        using X509Certificate2 certificate = privateKeyPassword is null
            ? X509Certificate2.CreateFromPem(certificatePem, privateKeyPem)
            : X509Certificate2.CreateFromEncryptedPem(certificatePem, privateKeyPem, privateKeyPassword);
        return FromCertificate(certificate, ExportPkcs8(certificate));
    }

    /// <summary>Reads <see cref="FromPem"/>'s inputs from files, as operators configure them.</summary>
    public static DtlsCertificate LoadPemFiles(string certificatePath, string privateKeyPath, string? privateKeyPassword = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(privateKeyPath);
        return FromPem(File.ReadAllText(certificatePath), File.ReadAllText(privateKeyPath), privateKeyPassword);
    }

    /// <summary>The fingerprint under another hash function, for peers that ask for one.</summary>
    public DtlsFingerprint GetFingerprint(DtlsHashAlgorithm algorithm) =>
        algorithm == DtlsHashAlgorithm.Sha256 ? Fingerprint : DtlsFingerprint.Compute(algorithm, _der);

    public void Dispose() => _context.Dispose();

    private static DtlsCertificate FromCertificate(X509Certificate2 certificate, byte[] pkcs8PrivateKey)
    {
        try
        {
            return new DtlsCertificate(
                certificate.RawData,
                pkcs8PrivateKey,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8PrivateKey);
        }
    }

    private static byte[] ExportPkcs8(X509Certificate2 certificate)
    {
        using (ECDsa? ecdsa = certificate.GetECDsaPrivateKey())
        {
            if (ecdsa is not null)
            {
                return ecdsa.ExportPkcs8PrivateKey();
            }
        }

        using (RSA? rsa = certificate.GetRSAPrivateKey())
        {
            if (rsa is not null)
            {
                return rsa.ExportPkcs8PrivateKey();
            }
        }

        throw new CryptographicException("The private key must be an ECDSA or RSA key matching the certificate.");
    }

    private static unsafe SafeSslContextHandle CreateContext(ReadOnlySpan<byte> der, ReadOnlySpan<byte> pkcs8PrivateKey)
    {
        OpenSslError.Clear();
        SafeX509Handle x509;
        fixed (byte* start = der)
        {
            byte* cursor = start;
            x509 = Libcrypto.d2i_X509(IntPtr.Zero, &cursor, der.Length);
        }

        using (x509)
        {
            if (x509.IsInvalid)
            {
                throw new CryptographicException($"OpenSSL could not read the certificate (d2i_X509): {OpenSslError.Drain("no error reported")}");
            }

            SafeEvpKeyHandle key;
            fixed (byte* start = pkcs8PrivateKey)
            {
                byte* cursor = start;
                key = Libcrypto.d2i_AutoPrivateKey(IntPtr.Zero, &cursor, pkcs8PrivateKey.Length);
            }

            using (key)
            {
                if (key.IsInvalid)
                {
                    throw new CryptographicException($"OpenSSL could not read the private key (d2i_AutoPrivateKey): {OpenSslError.Drain("no error reported")}");
                }

                // The context takes its own references to both, so these handles can go.
                return DtlsContext.Create(x509, key);
            }
        }
    }
}
