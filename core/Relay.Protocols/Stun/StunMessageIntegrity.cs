using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Relay.Protocols.Stun;

/// <summary>
/// MESSAGE-INTEGRITY (RFC 8489 section 14.5): HMAC-SHA1 over the message up to the attribute, with
/// the header's length field counting up to the end of MESSAGE-INTEGRITY, so attributes added after
/// it (FINGERPRINT) do not change the HMAC.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Type 0x0008              |        Length 20              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  HMAC-SHA1 (20 bytes)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// For short-term credentials (ICE, RFC 8489 section 9.1.1) the key is the password after
/// OpaqueString, which for ICE passwords (ASCII) is its UTF-8 bytes. The one-shot
/// <see cref="HMACSHA1.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> keeps no state
/// and allocates nothing, so any thread can check any credential.
/// </remarks>
public static class StunMessageIntegrity
{
    /// <summary>Bytes in the HMAC-SHA1 value.</summary>
    public const int Length = 20;

    /// <summary>Bytes the attribute adds to a message, header included.</summary>
    public const int AttributeLength = 4 + Length;

    // A browser's binding request is about 100 bytes up to MESSAGE-INTEGRITY; copy that much on the
    // stack and rent for the rare larger message.
    private const int StackCopyLimit = 512;

    /// <summary>
    /// Appends MESSAGE-INTEGRITY to the message in the first <paramref name="messageLength"/> bytes of
    /// <paramref name="buffer"/> and sets the header's length to include it.
    /// </summary>
    /// <returns>False, with the buffer untouched, if it has no room for 24 more bytes.</returns>
    public static bool TryAppend(Span<byte> buffer, int messageLength, ReadOnlySpan<byte> key, out int newLength)
    {
        CheckMessageLength(buffer, messageLength);
        if (buffer.Length - messageLength < AttributeLength)
        {
            newLength = 0;
            return false;
        }

        newLength = Append(buffer, messageLength, key);
        return true;
    }

    /// <summary>Writes the attribute at <paramref name="offset"/>, which the caller has checked there is room for.</summary>
    internal static int Append(Span<byte> buffer, int offset, ReadOnlySpan<byte> key)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), (ushort)(offset + AttributeLength - StunMessageReader.HeaderLength));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset), (ushort)StunAttributeType.MessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset + 2), Length);
        HMACSHA1.HashData(key, buffer.Slice(0, offset), buffer.Slice(offset + 4, Length));
        return offset + AttributeLength;
    }

    /// <summary>
    /// Checks the MESSAGE-INTEGRITY attribute at <paramref name="integrityOffset"/> of a received message,
    /// which may not be written to: the covered bytes are copied so the length field can be adjusted.
    /// </summary>
    [SkipLocalsInit]
    internal static bool Verify(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key)
    {
        Span<byte> computed = stackalloc byte[Length];
        if (integrityOffset <= StackCopyLimit)
        {
            Span<byte> copy = stackalloc byte[StackCopyLimit];
            Compute(message, integrityOffset, key, copy, computed);
        }
        else
        {
            ComputeRented(message, integrityOffset, key, computed);
        }

        return CryptographicOperations.FixedTimeEquals(computed, message.Slice(integrityOffset + 4, Length));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ComputeRented(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key, Span<byte> hmac)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(integrityOffset);
        Compute(message, integrityOffset, key, rented, hmac);
        ArrayPool<byte>.Shared.Return(rented);
    }

    private static void Compute(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key, Span<byte> scratch, Span<byte> hmac)
    {
        Span<byte> covered = scratch.Slice(0, integrityOffset);
        message.Slice(0, integrityOffset).CopyTo(covered);
        BinaryPrimitives.WriteUInt16BigEndian(covered.Slice(2), (ushort)(integrityOffset + AttributeLength - StunMessageReader.HeaderLength));
        HMACSHA1.HashData(key, covered, hmac);
    }

    internal static void CheckMessageLength(Span<byte> buffer, int messageLength)
    {
        if (messageLength < StunMessageReader.HeaderLength || messageLength > buffer.Length || (messageLength & 3) != 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(messageLength));
        }
    }
}
