using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Relay.Protocols.Srtp;

/// <summary>
/// AEAD_AES_128_GCM and AEAD_AES_256_GCM for SRTP and SRTCP (RFC 7714), with one reused
/// <see cref="AesGcm"/> encrypting and decrypting in place.
/// </summary>
/// <remarks>
/// <code>
/// SRTP (section 8):   | RTP header (AAD) | ciphertext | tag (16) |
/// SRTCP (section 9):  | RTCP header (8)  | ciphertext | tag (16) | E | SRTCP index (31) |
///                     AAD = RTCP header || E|index; with E clear, AAD = the whole packet || E|index
///
/// RTP IV (8.1):    00 00 | SSRC (4) | ROC (4) | SEQ (2)          XOR 96-bit session salt
/// RTCP IV (9.1):   00 00 | SSRC (4) | 00 00 | 0 | index (31 bits) XOR 96-bit session salt
/// </code>
/// Both IVs put the index in the low 48 bits, so one routine builds them.
/// <see cref="AesGcm.Decrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{byte})"/>
/// reports a bad tag only by throwing <see cref="AuthenticationTagMismatchException"/>; .NET 10 has no
/// non-throwing form. The catch is kept out of line; a forged packet costs an exception (measured at
/// about 5.7 us and 390 B against 1.6 us for a good 1200-byte packet), which the session's replay check
/// before it does not prevent.
/// </remarks>
internal sealed class AesGcmCipher : SrtpCipher
{
    private const int GcmTagLength = 16;
    private const int NonceLength = 12;

    private readonly AesGcm _gcm;

    // The 12-byte session salt as big-endian halves: bytes 0-7 and 8-11.
    private readonly ulong _saltHigh;
    private readonly uint _saltLow;

    public AesGcmCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
        : base(GcmTagLength)
    {
        if (salt.Length != NonceLength || key.Length is not (16 or 32))
        {
            ThrowHelper.ThrowArgument("AES-GCM needs a 16 or 32-byte key and a 12-byte salt.", nameof(salt));
        }

        _saltHigh = BinaryPrimitives.ReadUInt64BigEndian(salt);
        _saltLow = BinaryPrimitives.ReadUInt32BigEndian(salt.Slice(8));
        _gcm = new AesGcm(key, GcmTagLength);
    }

    public override void ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, ssrc, index);
        Span<byte> payload = packet.Slice(headerLength, length - headerLength);
        _gcm.Encrypt(nonce, payload, payload, packet.Slice(length, GcmTagLength), packet.Slice(0, headerLength));
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, ssrc, index);
        int tagOffset = packet.Length - GcmTagLength;
        return TryDecrypt(
            nonce,
            packet.Slice(headerLength, tagOffset - headerLength),
            packet.Slice(tagOffset),
            packet.Slice(0, headerLength));
    }

    public override int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index)
    {
        uint indexWord = EncryptedFlag | index;
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, ssrc, index);
        Span<byte> aad = stackalloc byte[RtcpHeaderLength + SrtcpIndexLength];
        buffer.Slice(0, RtcpHeaderLength).CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad.Slice(RtcpHeaderLength), indexWord);

        Span<byte> payload = buffer.Slice(RtcpHeaderLength, length - RtcpHeaderLength);
        _gcm.Encrypt(nonce, payload, payload, buffer.Slice(length, GcmTagLength), aad);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length + GcmTagLength), indexWord);
        return length + GcmTagLength + SrtcpIndexLength;
    }

    public override int GetSrtcpIndexOffset(int length) => length - SrtcpIndexLength;

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint indexWord)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, ssrc, indexWord & ~EncryptedFlag);
        int tagOffset = packet.Length - SrtcpIndexLength - GcmTagLength;

        if ((indexWord & EncryptedFlag) != 0)
        {
            Span<byte> aad = stackalloc byte[RtcpHeaderLength + SrtcpIndexLength];
            packet.Slice(0, RtcpHeaderLength).CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad.Slice(RtcpHeaderLength), indexWord);
            return TryDecrypt(
                nonce,
                packet.Slice(RtcpHeaderLength, tagOffset - RtcpHeaderLength),
                packet.Slice(tagOffset, GcmTagLength),
                aad);
        }

        // E clear (RFC 7714 section 9.2, vectors in 17.3): nothing is encrypted and the AAD is the
        // packet followed by the index word. Moving the tag aside and the word up against the packet
        // makes that AAD one contiguous span without copying the packet.
        Span<byte> tag = stackalloc byte[GcmTagLength];
        packet.Slice(tagOffset, GcmTagLength).CopyTo(tag);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(tagOffset), indexWord);
        return TryDecrypt(nonce, Span<byte>.Empty, tag, packet.Slice(0, tagOffset + SrtcpIndexLength));
    }

    public override void Dispose() => _gcm.Dispose();

    /// <summary>IV = (00 00 || SSRC || 48-bit index) XOR salt (RFC 7714 sections 8.1 and 9.1).</summary>
    private void WriteNonce(Span<byte> nonce, uint ssrc, ulong index)
    {
        BinaryPrimitives.WriteUInt64BigEndian(nonce, _saltHigh ^ (((ulong)ssrc << 16) | (index >> 32)));
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(8), _saltLow ^ (uint)index);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            _gcm.Decrypt(nonce, ciphertext, tag, ciphertext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
