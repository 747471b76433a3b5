namespace Relay.Protocols.Srtp;

/// <summary>
/// The parameters each <see cref="SrtpProfile"/> fixes (RFC 3711 section 8.2, RFC 5764 section 4.1.2,
/// RFC 7714 section 12): master key and salt lengths, session key lengths and tag lengths.
/// </summary>
public static class SrtpProfileExtensions
{
    /// <summary>Bytes in the HMAC-SHA1 authentication key the AES-CM profiles derive (RFC 3711 section 8.2).</summary>
    public const int HmacSha1KeyLength = 20;

    extension(SrtpProfile profile)
    {
        /// <summary>Whether <paramref name="profile"/> is one of the four profiles this implementation supports.</summary>
        public bool IsSupported => profile is SrtpProfile.AesCm128HmacSha1Tag80 or SrtpProfile.AesCm128HmacSha1Tag32
            or SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;

        /// <summary>Whether the profile is an AEAD (AES-GCM) transform rather than AES-CM with HMAC-SHA1.</summary>
        public bool IsAead => profile.Checked() is SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;

        /// <summary>The DTLS-SRTP protection profile identifier (RFC 5764 section 4.1.2, RFC 7714 section 14.2).</summary>
        public ushort ProtectionProfileId => (ushort)profile.Checked();

        /// <summary>Bytes of master key; the session encryption keys have the same length.</summary>
        public int MasterKeyLength => profile.Checked() == SrtpProfile.AeadAes256Gcm ? 32 : 16;

        /// <summary>Bytes of master salt: 14 for AES-CM (112 bits), 12 for AES-GCM (96 bits); session salts match.</summary>
        public int MasterSaltLength => profile.IsAead ? 12 : 14;

        /// <summary>Bytes of authentication key derived per direction: 20 for HMAC-SHA1, none for GCM.</summary>
        public int AuthenticationKeyLength => profile.IsAead ? 0 : HmacSha1KeyLength;

        /// <summary>Bytes of authentication tag appended to an SRTP packet.</summary>
        public int RtpTagLength => profile.Checked() switch
        {
            SrtpProfile.AesCm128HmacSha1Tag80 => 10,
            SrtpProfile.AesCm128HmacSha1Tag32 => 4,
            _ => 16,
        };

        /// <summary>
        /// Bytes of authentication tag in an SRTCP packet. The _32 profile keeps an 80-bit SRTCP tag
        /// (RFC 5764 section 4.1.2), so this is 10 for both AES-CM profiles and 16 for GCM.
        /// </summary>
        public int RtcpTagLength => profile.IsAead ? 16 : 10;

        /// <summary>
        /// Bytes of keying material to export from DTLS for this profile: a key and salt for each side
        /// (RFC 5764 section 4.2).
        /// </summary>
        public int KeyingMaterialLength => 2 * (profile.MasterKeyLength + profile.MasterSaltLength);

        private SrtpProfile Checked()
        {
            if (!profile.IsSupported)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(profile));
            }

            return profile;
        }
    }

    /// <summary>
    /// Maps a DTLS-SRTP protection profile identifier to a supported profile; false for any identifier
    /// this implementation does not support (for example the NULL or AES-256-CM profiles).
    /// </summary>
    public static bool TryFromProtectionProfileId(ushort protectionProfileId, out SrtpProfile profile)
    {
        profile = (SrtpProfile)protectionProfileId;
        if (profile.IsSupported)
        {
            return true;
        }

        profile = default;
        return false;
    }
}
