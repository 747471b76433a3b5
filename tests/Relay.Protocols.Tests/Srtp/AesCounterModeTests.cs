using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

public class AesCounterModeTests
{
    /// <summary>RFC 3711 appendix B.2: 65282 blocks of keystream from the already-shifted salt as IV.</summary>
    [Fact]
    public void Keystream_MatchesRfc3711AppendixB2()
    {
        using var ctr = new AesCounterMode(Hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[1044512];
        ctr.Apply(Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        Assert.Equal(
            Hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"),
            keystream[..48]);
        Assert.Equal(
            Hex("EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE 6A2CC3787889374FBEB4C81B17BA6C44"),
            keystream[^48..]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(1200)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(9000)]
    public void Apply_XorsTheReferenceKeystreamForAnyLength(int length)
    {
        byte[] key = Hex("000102030405060708090a0b0c0d0e0f");
        byte[] iv = Hex("a0a1a2a3a4a5a6a7a8a9aaabacad0000");
        byte[] data = Enumerable.Range(0, length).Select(i => (byte)(i * 3)).ToArray();
        byte[] expected = ReferenceSrtp.Keystream(key, iv, length).Select((k, i) => (byte)(k ^ data[i])).ToArray();

        using var ctr = new AesCounterMode(key);
        ctr.Apply(iv, data);

        Assert.Equal(expected, data);
    }

    [Theory]
    [InlineData("a0a1a2a3a4a5a6a7fffffffffffffffe")]
    [InlineData("fffffffffffffffffffffffffffffff0")]
    public void Apply_CountsModulo2To128(string ivHex)
    {
        byte[] key = Hex("000102030405060708090a0b0c0d0e0f");
        byte[] iv = Hex(ivHex);
        var data = new byte[64 * 16];

        using var ctr = new AesCounterMode(key);
        ctr.Apply(iv, data);

        Assert.Equal(ReferenceSrtp.Keystream(key, iv, data.Length), data);
    }

    [Fact]
    public void Apply_RefusesAnIvThatIsNotOneBlock()
    {
        using var ctr = new AesCounterMode(new byte[16]);

        Assert.Throws<ArgumentException>(() => ctr.Apply(new byte[14], new byte[16]));
    }
}
