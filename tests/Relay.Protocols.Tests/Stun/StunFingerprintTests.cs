using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

public class StunFingerprintTests
{
    [Fact]
    public void Crc32_MatchesThePublishedCheckValue()
    {
        // The check value every CRC-32/ISO-HDLC catalogue lists for "123456789".
        Assert.Equal(0xCBF43926u, StunCrc32.Compute("123456789"u8));
        Assert.Equal(0u, StunCrc32.Compute([]));
    }

    [Fact]
    public void Crc32_MatchesABitwiseReferenceOverRandomData()
    {
        var random = new Random(5769);
        for (int n = 0; n < 200; n++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);

            Assert.Equal(BitwiseCrc32(data), StunCrc32.Compute(data));
        }
    }

    [Theory]
    [MemberData(nameof(Rfc5769.ShortTermVectorNames), MemberType = typeof(Rfc5769))]
    public void VerifyFingerprint_AcceptsTheRfc5769Vectors(string vector)
    {
        Assert.True(StunMessageReader.TryRead(Rfc5769.Vector(vector), out StunMessageReader message));

        Assert.True(message.VerifyFingerprint());
    }

    [Theory]
    [MemberData(nameof(Rfc5769.ShortTermVectorNames), MemberType = typeof(Rfc5769))]
    public void VerifyFingerprint_RejectsEveryFlippedBit(string vector)
    {
        byte[] original = Rfc5769.Vector(vector);

        for (int i = 0; i < original.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] packet = (byte[])original.Clone();
                packet[i] ^= (byte)(1 << bit);
                if (StunMessageReader.TryRead(packet, out StunMessageReader message))
                {
                    Assert.False(message.VerifyFingerprint(), $"{vector}: flipping bit {bit} of byte {i} still matched");
                }
            }
        }
    }

    private static uint BitwiseCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
