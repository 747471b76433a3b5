using System.Security.Cryptography;

namespace Relay.Transport.Dtls;

/// <summary>
/// The SRTP profile the handshake chose and the master keys and salts exported for it, already
/// assigned by role: the local pair protects what this side sends, the remote pair unprotects what
/// it receives.
/// </summary>
/// <remarks>
/// The exporter (label "EXTRACTOR-dtls_srtp", no context) yields, in order (RFC 5764 section 4.2):
/// <code>
/// client_write_SRTP_master_key | server_write_SRTP_master_key |
/// client_write_SRTP_master_salt | server_write_SRTP_master_salt
/// </code>
/// The DTLS client writes with the client pair, the server with the server pair.
/// </remarks>
public sealed class DtlsSrtpKeys
{
    /// <summary>The RFC 5764 exporter label.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    // local key | local salt | remote key | remote salt
    private readonly byte[] _material;

    private DtlsSrtpKeys(DtlsSrtpProfile profile, byte[] material)
    {
        Profile = profile;
        _material = material;
    }

    public DtlsSrtpProfile Profile { get; }

    /// <summary>The profile's two-byte identifier from RFC 5764 section 4.1.2.</summary>
    public ushort ProfileId => (ushort)Profile;

    public int MasterKeyLength => GetMasterKeyLength(Profile);

    public int MasterSaltLength => GetMasterSaltLength(Profile);

    /// <summary>The master key for protecting (encrypting) what this side sends.</summary>
    public ReadOnlySpan<byte> LocalMasterKey => _material.AsSpan(0, MasterKeyLength);

    /// <summary>The master salt for protecting what this side sends.</summary>
    public ReadOnlySpan<byte> LocalMasterSalt => _material.AsSpan(MasterKeyLength, MasterSaltLength);

    /// <summary>The master key for unprotecting (decrypting) what the peer sends.</summary>
    public ReadOnlySpan<byte> RemoteMasterKey => _material.AsSpan(MasterKeyLength + MasterSaltLength, MasterKeyLength);

    /// <summary>The master salt for unprotecting what the peer sends.</summary>
    public ReadOnlySpan<byte> RemoteMasterSalt => _material.AsSpan((2 * MasterKeyLength) + MasterSaltLength, MasterSaltLength);

    /// <summary>Master key bytes of a profile: 16, or 32 for AEAD_AES_256_GCM.</summary>
    public static int GetMasterKeyLength(DtlsSrtpProfile profile) => profile switch
    {
        DtlsSrtpProfile.Aes128CmHmacSha1Tag80 or DtlsSrtpProfile.Aes128CmHmacSha1Tag32 or DtlsSrtpProfile.AeadAes128Gcm => 16,
        DtlsSrtpProfile.AeadAes256Gcm => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    /// <summary>Master salt bytes of a profile: 14 for AES-CM, 12 for AEAD (RFC 7714 section 14.2).</summary>
    public static int GetMasterSaltLength(DtlsSrtpProfile profile) => profile switch
    {
        DtlsSrtpProfile.Aes128CmHmacSha1Tag80 or DtlsSrtpProfile.Aes128CmHmacSha1Tag32 => 14,
        DtlsSrtpProfile.AeadAes128Gcm or DtlsSrtpProfile.AeadAes256Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    /// <summary>Bytes to ask of the exporter for a profile: two keys and two salts.</summary>
    internal static int GetExportLength(DtlsSrtpProfile profile) =>
        2 * (GetMasterKeyLength(profile) + GetMasterSaltLength(profile));

    internal static bool IsDefined(DtlsSrtpProfile profile) => profile is
        DtlsSrtpProfile.Aes128CmHmacSha1Tag80 or DtlsSrtpProfile.Aes128CmHmacSha1Tag32 or
        DtlsSrtpProfile.AeadAes128Gcm or DtlsSrtpProfile.AeadAes256Gcm;

    /// <summary>The name OpenSSL's use_srtp configuration string knows the profile by.</summary>
    internal static string GetOpenSslName(DtlsSrtpProfile profile) => profile switch
    {
        DtlsSrtpProfile.Aes128CmHmacSha1Tag80 => "SRTP_AES128_CM_SHA1_80",
        DtlsSrtpProfile.Aes128CmHmacSha1Tag32 => "SRTP_AES128_CM_SHA1_32",
        DtlsSrtpProfile.AeadAes128Gcm => "SRTP_AEAD_AES_128_GCM",
        DtlsSrtpProfile.AeadAes256Gcm => "SRTP_AEAD_AES_256_GCM",
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    /// <summary>Splits the exporter's output and assigns the halves by <paramref name="role"/>.</summary>
    internal static DtlsSrtpKeys FromExportedKeyingMaterial(DtlsSrtpProfile profile, DtlsRole role, ReadOnlySpan<byte> exported)
    {
        int keyLength = GetMasterKeyLength(profile);
        int saltLength = GetMasterSaltLength(profile);
        if (exported.Length != 2 * (keyLength + saltLength))
        {
            throw new ArgumentException("Exported keying material has the wrong length for the profile.", nameof(exported));
        }

        ReadOnlySpan<byte> clientKey = exported.Slice(0, keyLength);
        ReadOnlySpan<byte> serverKey = exported.Slice(keyLength, keyLength);
        ReadOnlySpan<byte> clientSalt = exported.Slice(2 * keyLength, saltLength);
        ReadOnlySpan<byte> serverSalt = exported.Slice((2 * keyLength) + saltLength, saltLength);

        bool isClient = role == DtlsRole.Client;
        byte[] material = new byte[exported.Length];
        Span<byte> destination = material;
        (isClient ? clientKey : serverKey).CopyTo(destination);
        (isClient ? clientSalt : serverSalt).CopyTo(destination[keyLength..]);
        (isClient ? serverKey : clientKey).CopyTo(destination[(keyLength + saltLength)..]);
        (isClient ? serverSalt : clientSalt).CopyTo(destination[((2 * keyLength) + saltLength)..]);
        return new DtlsSrtpKeys(profile, material);
    }

    /// <summary>Overwrites the key material once the transport that made it is disposed.</summary>
    internal void Clear() => CryptographicOperations.ZeroMemory(_material);
}
