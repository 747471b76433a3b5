using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>
/// Published packets, byte for byte: libsrtp's reference packets (test/srtp_driver.c,
/// <c>srtp_validate</c> and <c>srtp_validate_gcm</c>), which go through key derivation from a master
/// key, and RFC 7714 sections 16 and 17, which are stated at the session-key level.
/// </summary>
public class SrtpKnownAnswerTests
{
    private static readonly byte[] s_libsrtpKey = Hex("e1f97a0d3e018be0d64fa32c06de4139");
    private static readonly byte[] s_libsrtpSalt = Hex("0ec675ad498afeebb6960b3aabe6");
    private static readonly byte[] s_libsrtpRtp = Hex("800f1234decafbadcafebabe abababababababababababababababab");
    private static readonly byte[] s_libsrtpRtcp = Hex("81c8000bcafebabe abababababababababababababababab");

    private static readonly byte[] s_rfc7714Key128 = Hex("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] s_rfc7714Key256 = Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] s_rfc7714Salt = Hex("517569642070726f2071756f");

    /// <summary>RFC 7714 section 16: header 8040f17b 8041f8d3 5501a0b2 and "Gallia est omnis divisa in partes tres".</summary>
    private static readonly byte[] s_rfc7714Rtp = Hex("""
        8040f17b8041f8d35501a0b2
        47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573
        """);

    /// <summary>RFC 7714 section 17: the sender report from SSRC "Mars" that 17.1 to 17.4 protect.</summary>
    private static readonly byte[] s_rfc7714Rtcp = Hex("""
        81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61
        deadbeefdeadbeefdeadbeefdeadbeefdeadbeef
        """);

    private const uint Rfc7714SrtcpIndex = 0x5d4;

    [Fact]
    public void AesCm128HmacSha1Tag80_ReproducesLibsrtpReferencePacket()
    {
        byte[] expected = Hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb");
        using var sender = new SrtpSession(SrtpProfile.AesCm128HmacSha1Tag80, s_libsrtpKey, s_libsrtpSalt);
        using var receiver = new SrtpSession(SrtpProfile.AesCm128HmacSha1Tag80, s_libsrtpKey, s_libsrtpSalt);

        Assert.Equal(expected, ProtectRtp(sender, s_libsrtpRtp));
        (SrtpError error, byte[] plain) = UnprotectRtp(receiver, expected);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(s_libsrtpRtp, plain);
    }

    [Fact]
    public void AesCm128HmacSha1Tag32_ReproducesLibsrtpReferencePacketWithA32BitTag()
    {
        byte[] expected = Hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc");
        using var sender = new SrtpSession(SrtpProfile.AesCm128HmacSha1Tag32, s_libsrtpKey, s_libsrtpSalt);
        using var receiver = new SrtpSession(SrtpProfile.AesCm128HmacSha1Tag32, s_libsrtpKey, s_libsrtpSalt);

        Assert.Equal(expected, ProtectRtp(sender, s_libsrtpRtp));
        (SrtpError error, byte[] plain) = UnprotectRtp(receiver, expected);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(s_libsrtpRtp, plain);
    }

    /// <summary>
    /// libsrtp's SRTCP reference carries index 1 (libsrtp counts from 1; RFC 3711 section 3.4 and this
    /// session count from 0). Both AES-CM profiles give the same packet: SRTCP keeps the 80-bit tag
    /// under _32 (RFC 5764 section 4.1.2).
    /// </summary>
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1Tag80)]
    [InlineData(SrtpProfile.AesCm128HmacSha1Tag32)]
    public void AesCmSrtcp_ReproducesLibsrtpReferencePacketWithAn80BitTag(SrtpProfile profile)
    {
        byte[] expected = Hex("81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798");
        using var sender = new SrtpSession(profile, s_libsrtpKey, s_libsrtpSalt);
        using var receiver = new SrtpSession(profile, s_libsrtpKey, s_libsrtpSalt);

        ProtectRtcp(sender, s_libsrtpRtcp);
        Assert.Equal(expected, ProtectRtcp(sender, s_libsrtpRtcp));
        (SrtpError error, byte[] plain) = UnprotectRtcp(receiver, expected);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(s_libsrtpRtcp, plain);
    }

    /// <summary>libsrtp's GCM reference packets, which also pin the 12-byte master salt's padding in key derivation.</summary>
    [Fact]
    public void AeadAes128Gcm_ReproducesLibsrtpReferencePacketsFromAMasterKey()
    {
        byte[] key = Hex("000102030405060708090a0b0c0d0e0f");
        byte[] salt = Hex("a0a1a2a3a4a5a6a7a8a9aaab");
        byte[] expectedRtp = Hex("800f1234decafbadcafebabe c5002ede04cfdd2eb91159e0880aa06e d2976826f796b201df3131a127e8a392");
        byte[] expectedRtcp = Hex("81c8000bcafebabe c98b8b5df0392a55852b6c21ac8e7025 c52c6fbea2b3b446ea31123ba88ce61e 80000001");
        using var sender = new SrtpSession(SrtpProfile.AeadAes128Gcm, key, salt);
        using var receiver = new SrtpSession(SrtpProfile.AeadAes128Gcm, key, salt);

        Assert.Equal(expectedRtp, ProtectRtp(sender, s_libsrtpRtp));
        ProtectRtcp(sender, s_libsrtpRtcp);
        Assert.Equal(expectedRtcp, ProtectRtcp(sender, s_libsrtpRtcp));

        (SrtpError rtpError, byte[] rtp) = UnprotectRtp(receiver, expectedRtp);
        (SrtpError rtcpError, byte[] rtcp) = UnprotectRtcp(receiver, expectedRtcp);
        Assert.Equal(SrtpError.None, rtpError);
        Assert.Equal(s_libsrtpRtp, rtp);
        Assert.Equal(SrtpError.None, rtcpError);
        Assert.Equal(s_libsrtpRtcp, rtcp);
    }

    /// <summary>RFC 7714 sections 16.1.1 (encryption) and 16.1.2 (decryption), and 16.2.1 and 16.2.2 for AES-256.</summary>
    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm, """
        8040f17b8041f8d35501a0b2
        f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833
        899d7f27beb16a9152cf765ee4390cce
        """)]
    [InlineData(SrtpProfile.AeadAes256Gcm, """
        8040f17b8041f8d35501a0b2
        32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b
        7aa3db36dfffd6b0f9bb7878d7a76c13
        """)]
    public void Gcm_ReproducesRfc7714Section16SrtpPacket(SrtpProfile profile, string expectedHex)
    {
        byte[] expected = Hex(expectedHex);
        using SrtpSession sender = Rfc7714Session(profile);
        using SrtpSession receiver = Rfc7714Session(profile);

        Assert.Equal(expected, ProtectRtp(sender, s_rfc7714Rtp));
        (SrtpError error, byte[] plain) = UnprotectRtp(receiver, expected);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(s_rfc7714Rtp, plain);
    }

    /// <summary>RFC 7714 sections 17.1 and 17.2: SRTCP encryption and decryption at index 0x5d4.</summary>
    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm, """
        81c8000d4d617273
        63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275b
        c84aa45896cf4d2fc5abf87245d9eade
        800005d4
        """)]
    [InlineData(SrtpProfile.AeadAes256Gcm, """
        81c8000d4d617273
        d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad
        1d1eb30c4446839f57ff6f6cb26ac3be
        800005d4
        """)]
    public void Gcm_ReproducesRfc7714Section17SrtcpPacket(SrtpProfile profile, string expectedHex)
    {
        byte[] expected = Hex(expectedHex);
        using SrtpSession sender = Rfc7714Session(profile);
        using SrtpSession receiver = Rfc7714Session(profile);

        // The sender counts SRTCP indices from zero; bring it to the vector's.
        for (uint i = 0; i < Rfc7714SrtcpIndex; i++)
        {
            ProtectRtcp(sender, s_rfc7714Rtcp);
        }

        Assert.Equal(expected, ProtectRtcp(sender, s_rfc7714Rtcp));
        (SrtpError error, byte[] plain) = UnprotectRtcp(receiver, expected);
        Assert.Equal(SrtpError.None, error);
        Assert.Equal(s_rfc7714Rtcp, plain);
    }

    /// <summary>
    /// RFC 7714 sections 17.3 and 17.4: SRTCP with the E flag clear, authenticated but not encrypted,
    /// the whole packet and index word being the AAD.
    /// </summary>
    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm, "841dd9683dd78ec92ae58790125f62b3")]
    [InlineData(SrtpProfile.AeadAes256Gcm, "91db4afbfeee5a978fab4393ed2615fe")]
    public void Gcm_AcceptsRfc7714Section17UnencryptedSrtcpPacket(SrtpProfile profile, string tagHex)
    {
        byte[] packet = [.. s_rfc7714Rtcp, .. Hex(tagHex), .. Hex("000005d4")];
        using SrtpSession receiver = Rfc7714Session(profile);

        (SrtpError error, byte[] plain) = UnprotectRtcp(receiver, packet);

        Assert.Equal(SrtpError.None, error);
        Assert.Equal(s_rfc7714Rtcp, plain);
    }

    [Fact]
    public void Gcm_RefusesRfc7714UnencryptedSrtcpPacketWithABodyByteChanged()
    {
        byte[] packet = [.. s_rfc7714Rtcp, .. Hex("841dd9683dd78ec92ae58790125f62b3"), .. Hex("000005d4")];
        packet[12] ^= 0x01;
        using SrtpSession receiver = Rfc7714Session(SrtpProfile.AeadAes128Gcm);

        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtcp(receiver, packet).Error);
        Assert.Equal(0, receiver.SsrcCount);
    }

    private static SrtpSession Rfc7714Session(SrtpProfile profile)
    {
        byte[] key = profile == SrtpProfile.AeadAes256Gcm ? s_rfc7714Key256 : s_rfc7714Key128;
        return SrtpSession.FromSessionKeys(profile, key, s_rfc7714Salt, [], key, s_rfc7714Salt, []);
    }
}
