namespace Relay.Transport.Dtls;

/// <summary>
/// SRTP protection profiles negotiated by the DTLS use_srtp extension, valued as their two-byte
/// identifiers (RFC 5764 section 4.1.2; the AEAD ones from RFC 7714 section 14.2).
/// </summary>
public enum DtlsSrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: 128-bit key, 112-bit salt, 80-bit tag.</summary>
    Aes128CmHmacSha1Tag80 = 0x0001,

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_32: 128-bit key, 112-bit salt, 32-bit tag on SRTP.</summary>
    Aes128CmHmacSha1Tag32 = 0x0002,

    /// <summary>SRTP_AEAD_AES_128_GCM: 128-bit key, 96-bit salt.</summary>
    AeadAes128Gcm = 0x0007,

    /// <summary>SRTP_AEAD_AES_256_GCM: 256-bit key, 96-bit salt.</summary>
    AeadAes256Gcm = 0x0008,
}
