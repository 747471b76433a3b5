using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Relay.Protocols.Srtp;

/// <summary>
/// AES-128 counter mode with a truncated HMAC-SHA1 tag (RFC 3711 sections 4.1.1 and 4.2).
/// </summary>
/// <remarks>
/// <code>
/// SRTP:   | RTP header | encrypted payload | tag |
///         tag = HMAC-SHA1(k_a, header || encrypted payload || ROC)  truncated
/// SRTCP:  | RTCP header (8) | encrypted payload | E | SRTCP index (31) | tag |
///         tag = HMAC-SHA1(k_a, header || payload || E|index)        truncated to 80 bits
/// IV    = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16)
/// </code>
/// The tag is checked before anything is decrypted, and with a fixed-time comparison.
/// </remarks>
internal sealed class AesCmHmacSha1Cipher : SrtpCipher
{
    private const int Sha1Length = 20;

    private readonly AesCounterMode _ctr;
    private readonly IncrementalHash _hmac;

    // The 14-byte session salt shifted left by 16, as the two big-endian halves of the IV.
    private readonly ulong _saltHigh;
    private readonly ulong _saltLow;

    public AesCmHmacSha1Cipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authenticationKey, int tagLength)
        : base(tagLength)
    {
        if (salt.Length != 14 || authenticationKey.Length != SrtpProfileExtensions.HmacSha1KeyLength || tagLength is < 4 or > Sha1Length)
        {
            ThrowHelper.ThrowArgument("AES-CM needs a 14-byte salt, a 20-byte authentication key and a tag of 4 to 20 bytes.", nameof(salt));
        }

        Span<byte> shifted = stackalloc byte[16];
        shifted.Clear();
        salt.CopyTo(shifted);
        _saltHigh = BinaryPrimitives.ReadUInt64BigEndian(shifted);
        _saltLow = BinaryPrimitives.ReadUInt64BigEndian(shifted.Slice(8));
        _ctr = new AesCounterMode(key);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authenticationKey);
    }

    public override void ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[16];
        WriteIv(iv, ssrc, index);
        _ctr.Apply(iv, packet.Slice(headerLength, length - headerLength));

        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeRtpMac(packet.Slice(0, length), (uint)(index >> 16), mac);
        mac.Slice(0, TagLength).CopyTo(packet.Slice(length));
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int authenticatedLength = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeRtpMac(packet.Slice(0, authenticatedLength), (uint)(index >> 16), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac.Slice(0, TagLength), packet.Slice(authenticatedLength)))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[16];
        WriteIv(iv, ssrc, index);
        _ctr.Apply(iv, packet.Slice(headerLength, authenticatedLength - headerLength));
        return true;
    }

    public override int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[16];
        WriteIv(iv, ssrc, index);
        _ctr.Apply(iv, buffer.Slice(RtcpHeaderLength, length - RtcpHeaderLength));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length), EncryptedFlag | index);

        int authenticatedLength = length + SrtcpIndexLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        _hmac.AppendData(buffer.Slice(0, authenticatedLength));
        _hmac.GetHashAndReset(mac);
        mac.Slice(0, TagLength).CopyTo(buffer.Slice(authenticatedLength));
        return authenticatedLength + TagLength;
    }

    public override int GetSrtcpIndexOffset(int length) => length - TagLength - SrtcpIndexLength;

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint indexWord)
    {
        int authenticatedLength = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        _hmac.AppendData(packet.Slice(0, authenticatedLength));
        _hmac.GetHashAndReset(mac);
        if (!CryptographicOperations.FixedTimeEquals(mac.Slice(0, TagLength), packet.Slice(authenticatedLength)))
        {
            return false;
        }

        // E clear: the sender chose not to encrypt (RFC 3711 section 3.4); the tag still covers it all.
        if ((indexWord & EncryptedFlag) != 0)
        {
            Span<byte> iv = stackalloc byte[16];
            WriteIv(iv, ssrc, indexWord & ~EncryptedFlag);
            _ctr.Apply(iv, packet.Slice(RtcpHeaderLength, authenticatedLength - SrtcpIndexLength - RtcpHeaderLength));
        }

        return true;
    }

    public override void Dispose()
    {
        _ctr.Dispose();
        _hmac.Dispose();
    }

    private void ComputeRtpMac(ReadOnlySpan<byte> authenticated, uint rolloverCounter, Span<byte> mac)
    {
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        _hmac.AppendData(authenticated);
        _hmac.AppendData(roc);
        _hmac.GetHashAndReset(mac);
    }

    /// <summary>IV = salt * 2^16 XOR SSRC * 2^64 XOR index * 2^16 (RFC 3711 section 4.1.1).</summary>
    private void WriteIv(Span<byte> iv, uint ssrc, ulong index)
    {
        BinaryPrimitives.WriteUInt64BigEndian(iv, _saltHigh ^ ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(iv.Slice(8), _saltLow ^ (index << 16));
    }
}
