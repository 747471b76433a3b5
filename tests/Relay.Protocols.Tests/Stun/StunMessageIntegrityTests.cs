using System.Text;
using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

public class StunMessageIntegrityTests
{
    [Theory]
    [MemberData(nameof(Rfc5769.ShortTermVectorNames), MemberType = typeof(Rfc5769))]
    public void VerifyMessageIntegrity_AcceptsTheRfc5769VectorsUnderTheirPassword(string vector)
    {
        Assert.True(StunMessageReader.TryRead(Rfc5769.Vector(vector), out StunMessageReader message));

        Assert.True(message.VerifyMessageIntegrity(Rfc5769.PasswordBytes));
    }

    [Theory]
    [MemberData(nameof(Rfc5769.ShortTermVectorNames), MemberType = typeof(Rfc5769))]
    public void VerifyMessageIntegrity_RejectsAWrongPassword(string vector)
    {
        Assert.True(StunMessageReader.TryRead(Rfc5769.Vector(vector), out StunMessageReader message));

        Assert.False(message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.False(message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxB"u8));
        Assert.False(message.VerifyMessageIntegrity(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [MemberData(nameof(Rfc5769.AllVectorNames), MemberType = typeof(Rfc5769))]
    public void VerifyMessageIntegrity_RejectsEveryFlippedBitUpToAndIncludingTheHmac(string vector)
    {
        byte[] original = Rfc5769.Vector(vector);
        byte[] key = vector == "2.4"
            ? System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX"))
            : Rfc5769.PasswordBytes;
        int end = Rfc5769.OffsetOf(original, (ushort)StunAttributeType.MessageIntegrity) + StunMessageIntegrity.AttributeLength;

        for (int i = 0; i < end; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] packet = (byte[])original.Clone();
                packet[i] ^= (byte)(1 << bit);
                if (StunMessageReader.TryRead(packet, out StunMessageReader message))
                {
                    Assert.False(message.VerifyMessageIntegrity(key), $"{vector}: flipping bit {bit} of byte {i} still verified");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Rfc5769.ShortTermVectorNames), MemberType = typeof(Rfc5769))]
    public void TryAppend_ReproducesTheRfc5769IntegrityAndFingerprintByteForByte(string vector)
    {
        byte[] expected = Rfc5769.Vector(vector);
        int integrityOffset = Rfc5769.OffsetOf(expected, (ushort)StunAttributeType.MessageIntegrity);
        var buffer = new byte[expected.Length];
        expected.AsSpan(0, integrityOffset).CopyTo(buffer);
        buffer[2] = 0xEE; // whatever the length said before, appending sets it
        buffer[3] = 0xEE;

        Assert.True(StunMessageIntegrity.TryAppend(buffer, integrityOffset, Rfc5769.PasswordBytes, out int length));
        Assert.True(StunFingerprint.TryAppend(buffer, length, out length));

        Assert.Equal(expected.Length, length);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer));
    }

    [Fact]
    public void TryAppend_ReturnsFalseAndLeavesTheBufferWhenThereIsNoRoom()
    {
        byte[] buffer = new StunTestMessage().ToArray();
        Array.Resize(ref buffer, 20 + 23);
        byte[] before = (byte[])buffer.Clone();

        Assert.False(StunMessageIntegrity.TryAppend(buffer, 20, Rfc5769.PasswordBytes, out int length));
        Assert.Equal(0, length);
        Assert.Equal(before, buffer);
        Assert.False(StunFingerprint.TryAppend(buffer.AsSpan(0, 27), 20, out _));
    }

    [Theory]
    [InlineData(19)]
    [InlineData(22)]
    [InlineData(48)]
    public void TryAppend_ThrowsForAMessageLengthThatIsNoMessage(int messageLength)
    {
        var buffer = new byte[44];

        Assert.Throws<ArgumentOutOfRangeException>(() => StunMessageIntegrity.TryAppend(buffer, messageLength, Rfc5769.PasswordBytes, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => StunFingerprint.TryAppend(buffer, messageLength, out _));
    }

    [Fact]
    public void VerifyMessageIntegrity_WorksForMessagesLongerThanTheStackCopy()
    {
        byte[] packet = new StunTestMessage()
            .Add(StunAttributeType.Username, "a:b"u8.ToArray())
            .Add(0x8077, new byte[1000])
            .AddIntegrity(Rfc5769.PasswordBytes)
            .AddFingerprint()
            .ToArray();

        Assert.True(StunMessageReader.TryRead(packet, out StunMessageReader message));

        Assert.True(message.VerifyMessageIntegrity(Rfc5769.PasswordBytes));
        Assert.False(message.VerifyMessageIntegrity("wrong"u8));
        Assert.True(message.VerifyFingerprint());
    }
}
