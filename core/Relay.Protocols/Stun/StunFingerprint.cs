using System.Buffers.Binary;

namespace Relay.Protocols.Stun;

/// <summary>
/// FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message up to the attribute, with the header's
/// length already counting FINGERPRINT, XORed with 0x5354554e. It tells STUN apart from other
/// protocols on the same port; it is no authentication.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Type 0x8028              |        Length 4               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  CRC-32 XOR 0x5354554e                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// FINGERPRINT is always last, so the length in a received message already counts it and the CRC
/// runs over the received bytes as they are.
/// </remarks>
public static class StunFingerprint
{
    /// <summary>Bytes the attribute adds to a message, header included.</summary>
    public const int AttributeLength = 8;

    /// <summary>"STUN" in ASCII, XORed into the CRC.</summary>
    public const uint XorValue = 0x5354554e;

    /// <summary>
    /// Appends FINGERPRINT to the message in the first <paramref name="messageLength"/> bytes of
    /// <paramref name="buffer"/> and sets the header's length to include it.
    /// </summary>
    /// <returns>False, with the buffer untouched, if it has no room for 8 more bytes.</returns>
    public static bool TryAppend(Span<byte> buffer, int messageLength, out int newLength)
    {
        StunMessageIntegrity.CheckMessageLength(buffer, messageLength);
        if (buffer.Length - messageLength < AttributeLength)
        {
            newLength = 0;
            return false;
        }

        newLength = Append(buffer, messageLength);
        return true;
    }

    internal static int Append(Span<byte> buffer, int offset)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), (ushort)(offset + AttributeLength - StunMessageReader.HeaderLength));
        uint value = StunCrc32.Compute(buffer.Slice(0, offset)) ^ XorValue;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset), (ushort)StunAttributeType.Fingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset + 2), 4);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(offset + 4), value);
        return offset + AttributeLength;
    }

    internal static bool Verify(ReadOnlySpan<byte> message, int fingerprintOffset) =>
        (StunCrc32.Compute(message.Slice(0, fingerprintOffset)) ^ XorValue)
        == BinaryPrimitives.ReadUInt32BigEndian(message.Slice(fingerprintOffset + 4));
}
