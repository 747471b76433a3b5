using System.Security.Cryptography;

namespace Relay.Recording.Manifests;

/// <summary>
/// The node's evidence key: an ECDSA P-256 key that signs recording manifests (ES256: SHA-256, the
/// signature as r||s, 64 bytes). Kept as a PKCS#8 PEM file readable only by the relay's user, made
/// on first start. Its public key goes into every manifest it signs.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable
{
    public const string Algorithm = "ES256";

    private readonly ECDsa _key;

    private EvidenceSigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public key, SubjectPublicKeyInfo DER in base64 (as manifests carry it).</summary>
    public string PublicKey { get; }

    /// <summary>Loads the key at <paramref name="pemPath"/>, or makes one there (mode 0600) if there is none.</summary>
    public static EvidenceSigningKey LoadOrCreate(string pemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pemPath);
        if (!File.Exists(pemPath))
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(pemPath));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            using ECDsa created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var file = new FileStream(pemPath, options);
                using var writer = new StreamWriter(file);
                writer.Write(created.ExportPkcs8PrivateKeyPem());
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(pemPath))
            {
                // Another process made it first: use theirs.
            }
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(pemPath));
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"The evidence key at {pemPath} is not a P-256 key.");
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return new EvidenceSigningKey(key);
    }

    /// <summary>A key held only in memory (tests).</summary>
    public static EvidenceSigningKey CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256);

    /// <summary>Whether <paramref name="signature"/> is the key <paramref name="publicKey"/>'s ES256 signature of <paramref name="data"/>; false for any malformed input.</summary>
    public static bool Verify(string publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        try
        {
            using ECDsa key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            return key.KeySize == 256 && key.VerifyData(data, signature, HashAlgorithmName.SHA256);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
