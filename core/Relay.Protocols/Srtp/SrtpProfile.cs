namespace Relay.Protocols.Srtp;

/// <summary>
/// The SRTP protection profiles Relay speaks. Each value is the profile's DTLS-SRTP identifier
/// (RFC 5764 section 4.1.2, RFC 7714 section 14.2), so the number negotiated in the DTLS
/// <c>use_srtp</c> extension converts directly; the lengths each profile implies are on
/// <see cref="SrtpProfileExtensions"/>.
/// </summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 tag of 80 bits.</summary>
    AesCm128HmacSha1Tag80 = 0x0001,

    /// <summary>
    /// SRTP_AES128_CM_HMAC_SHA1_32: as <see cref="AesCm128HmacSha1Tag80"/> but a 32-bit SRTP tag;
    /// SRTCP keeps the 80-bit tag (RFC 5764 section 4.1.2).
    /// </summary>
    AesCm128HmacSha1Tag32 = 0x0002,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-128 in GCM, 96-bit salt, 128-bit tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,

    /// <summary>SRTP_AEAD_AES_256_GCM: AES-256 in GCM, 96-bit salt, 128-bit tag (RFC 7714).</summary>
    AeadAes256Gcm = 0x0008,
}
