namespace Relay.Protocols.Srtp;

/// <summary>
/// The SRTP key derivation function with the AES-CM PRF and a key derivation rate of zero
/// (RFC 3711 section 4.3). AES-256 master keys use the same construction with AES-256
/// (RFC 6188 section 7), which is what RFC 7714 section 11 prescribes for AEAD_AES_256_GCM.
/// </summary>
/// <remarks>
/// <code>
///   key_id = label || (index DIV kdr)          8 + 48 bits; kdr = 0 makes the index part zero
///   x      = key_id XOR master_salt             right-aligned, 112 bits
///   out    = AES-CM(master_key, IV = x * 2^16)  as many keystream bytes as the key needs
/// </code>
/// A GCM master salt is 96 bits; RFC 7714 erratum 4938 (verified) multiplies it by 2^16 to make
/// the 112-bit salt above, that is, appends two zero bytes, as libsrtp does.
/// </remarks>
internal static class SrtpKeyDerivation
{
    public const byte RtpEncryptionLabel = 0x00;
    public const byte RtpAuthenticationLabel = 0x01;
    public const byte RtpSaltLabel = 0x02;
    public const byte RtcpEncryptionLabel = 0x03;
    public const byte RtcpAuthenticationLabel = 0x04;
    public const byte RtcpSaltLabel = 0x05;

    private const int SaltLength = 14;

    /// <summary>
    /// Fills <paramref name="output"/> with the session key for <paramref name="label"/>.
    /// <paramref name="prf"/> is keyed with the master key; <paramref name="masterSalt"/> is 14 or 12 bytes.
    /// </summary>
    public static void Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length is not (SaltLength or 12))
        {
            ThrowHelper.ThrowArgument("The master salt must be 14 or 12 bytes.", nameof(masterSalt));
        }

        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);

        // The label is the top byte of the 56-bit key_id, which lines up with salt byte 7 (14 - 7).
        iv[SaltLength - 7] ^= label;
        output.Clear();
        prf.Apply(iv, output);
    }
}
