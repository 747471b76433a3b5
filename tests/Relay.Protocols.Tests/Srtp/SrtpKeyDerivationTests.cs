using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

public class SrtpKeyDerivationTests
{
    private static readonly byte[] s_masterKey = Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] s_masterSalt = Hex("0EC675AD498AFEEBB6960B3AABE6");

    /// <summary>RFC 3711 appendix B.3: cipher key, cipher salt and the 94-byte auth key of its example.</summary>
    [Fact]
    public void SessionKeys_MatchRfc3711AppendixB3()
    {
        using var prf = new AesCounterMode(s_masterKey);
        var cipherKey = new byte[16];
        var cipherSalt = new byte[14];
        var authenticationKey = new byte[94];

        SrtpKeyDerivation.Derive(prf, s_masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, cipherKey);
        SrtpKeyDerivation.Derive(prf, s_masterSalt, SrtpKeyDerivation.RtpSaltLabel, cipherSalt);
        SrtpKeyDerivation.Derive(prf, s_masterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, authenticationKey);

        Assert.Equal(Hex("C61E7A93744F39EE10734AFE3FF7A087"), cipherKey);
        Assert.Equal(Hex("30CBBC08863D8C85D49DB34A9AE1"), cipherSalt);
        Assert.Equal(
            Hex("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """),
            authenticationKey);
    }

    [Theory]
    [InlineData(SrtpKeyDerivation.RtpEncryptionLabel)]
    [InlineData(SrtpKeyDerivation.RtpAuthenticationLabel)]
    [InlineData(SrtpKeyDerivation.RtpSaltLabel)]
    [InlineData(SrtpKeyDerivation.RtcpEncryptionLabel)]
    [InlineData(SrtpKeyDerivation.RtcpAuthenticationLabel)]
    [InlineData(SrtpKeyDerivation.RtcpSaltLabel)]
    public void EveryLabel_AgreesWithTheReferenceDerivation_ForAes128AndAes256AndGcmSalts(byte label)
    {
        foreach ((byte[] key, byte[] salt) in new[]
        {
            (s_masterKey, s_masterSalt),
            (Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), s_masterSalt),
            (s_masterKey, Hex("a0a1a2a3a4a5a6a7a8a9aaab")),
        })
        {
            using var prf = new AesCounterMode(key);
            var output = new byte[20];
            SrtpKeyDerivation.Derive(prf, salt, label, output);
            Assert.Equal(ReferenceSrtp.Derive(key, salt, label, 20), output);
        }
    }
}
