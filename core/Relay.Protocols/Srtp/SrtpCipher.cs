namespace Relay.Protocols.Srtp;

/// <summary>
/// One direction's keyed transform for one of SRTP or SRTCP: encrypts and tags, or verifies and
/// decrypts, a packet in place. Knows the wire layout of the trailer but nothing of indices or
/// replay; <see cref="SrtpSession"/> decides the index and commits state.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    protected SrtpCipher(int tagLength)
    {
        TagLength = tagLength;
    }

    /// <summary>Bytes of authentication tag this transform appends.</summary>
    public int TagLength { get; }

    /// <summary>Bytes an SRTCP packet grows by: the E flag and index word plus the tag.</summary>
    public int RtcpTrailerLength => SrtcpIndexLength + TagLength;

    /// <summary>Bytes of the word holding the E flag and the 31-bit SRTCP index.</summary>
    public const int SrtcpIndexLength = 4;

    /// <summary>The flag in the SRTCP index word saying the payload is encrypted.</summary>
    public const uint EncryptedFlag = 0x8000_0000;

    /// <summary>Bytes of the RTCP header left in the clear: first word and sender SSRC.</summary>
    public const int RtcpHeaderLength = 8;

    /// <summary>
    /// Encrypts <c>packet[headerLength..length]</c> and writes the tag at <c>packet[length..]</c>.
    /// <paramref name="index"/> is the 48-bit SRTP index, ROC * 2^16 + SEQ.
    /// </summary>
    public abstract void ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index);

    /// <summary>
    /// Verifies the tag ending <paramref name="packet"/> and, only if it verifies, decrypts the payload
    /// in place. False means the tag did not verify; the packet bytes are then unspecified.
    /// </summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>
    /// Encrypts <c>buffer[8..length]</c>, appends the E flag and <paramref name="index"/> and the tag in
    /// the order the transform defines, and returns the protected length.
    /// </summary>
    public abstract int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index);

    /// <summary>Where the E flag and index word sits in a protected packet of <paramref name="length"/> bytes.</summary>
    public abstract int GetSrtcpIndexOffset(int length);

    /// <summary>
    /// Verifies the tag of a protected SRTCP packet whose E flag and index word is
    /// <paramref name="indexWord"/> and, if it verifies, decrypts when the E flag is set.
    /// </summary>
    public abstract bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint indexWord);

    public abstract void Dispose();
}
