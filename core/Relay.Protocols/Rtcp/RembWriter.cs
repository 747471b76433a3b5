using System.Buffers.Binary;
using System.Numerics;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Writes a REMB (draft-alvestrand-rmcat-remb-03 section 2.2), choosing the smallest exponent whose
/// mantissa fits 18 bits.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   SSRC feedback ...                                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Bits below the mantissa are dropped, so the bitrate sent is never above the estimate (at most
/// 1/2^17 of it below): REMB is a ceiling, and rounding up would invite the sender past it.
/// </remarks>
public readonly ref struct RembWriter : IRtcpPacketWriter
{
    private const int MantissaBits = 18;
    private const int FixedLength = RtcpHeader.FeedbackHeaderLength + 8;

    private readonly ReadOnlySpan<uint> _ssrcs;

    /// <param name="senderSsrc">The SSRC of the receiver sending the estimate.</param>
    /// <param name="bitrate">The estimate in bits per second.</param>
    /// <param name="ssrcs">The streams the estimate covers, at most 255.</param>
    public RembWriter(uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        if (ssrcs.Length > byte.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(ssrcs));
        }

        SenderSsrc = senderSsrc;
        _ssrcs = ssrcs;
        Exponent = Math.Max(0, 64 - BitOperations.LeadingZeroCount(bitrate) - MantissaBits);
        Mantissa = (uint)(bitrate >> Exponent);
    }

    public uint SenderSsrc { get; }

    /// <summary>The 6-bit exponent chosen.</summary>
    public int Exponent { get; }

    /// <summary>The 18-bit mantissa chosen.</summary>
    public uint Mantissa { get; }

    /// <summary>The bitrate the packet will carry: mantissa times 2^exponent.</summary>
    public ulong EncodedBitrate => (ulong)Mantissa << Exponent;

    public int GetSerializedLength() => FixedLength + (_ssrcs.Length * 4);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        RtcpHeader.WriteFeedback(destination, RtcpPacketType.PayloadSpecificFeedback, (int)PayloadSpecificFeedbackFormat.ApplicationLayer, length, SenderSsrc, 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12), Remb.Identifier);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), ((uint)_ssrcs.Length << 24) | ((uint)Exponent << MantissaBits) | Mantissa);
        int offset = FixedLength;
        foreach (uint ssrc in _ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset), ssrc);
            offset += 4;
        }

        written = length;
        return true;
    }
}
