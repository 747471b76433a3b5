using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads a REMB: receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 section 2.2), an
/// application layer feedback message (payload-specific FMT 15) that starts with the four ASCII octets "REMB".
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
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
/// |   SSRC feedback                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ...                                                          |
/// </code>
/// The bitrate is mantissa (18 bits) times 2^exp (6 bits) in bits per second, for the streams listed.
/// A value that overflows 64 bits is rejected, as libwebrtc does.
/// </remarks>
public readonly ref struct Remb
{
    /// <summary>"REMB" as a big-endian 32-bit value.</summary>
    internal const uint Identifier = 0x52454D42;

    private const int FixedFciLength = 8;

    private readonly ReadOnlySpan<byte> _ssrcs;

    private Remb(uint senderSsrc, uint mediaSsrc, ulong bitrate, ReadOnlySpan<byte> ssrcs)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        Bitrate = bitrate;
        _ssrcs = ssrcs;
    }

    public uint SenderSsrc { get; }

    /// <summary>The media source field, 0 by the draft (the streams are in the SSRC list).</summary>
    public uint MediaSsrc { get; }

    /// <summary>The estimated maximum total bitrate for the listed streams, in bits per second.</summary>
    public ulong Bitrate { get; }

    public int SsrcCount => _ssrcs.Length / 4;

    public uint GetSsrc(int index)
    {
        if ((uint)index >= (uint)SsrcCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(_ssrcs.Slice(index * 4));
    }

    /// <summary>
    /// Reads <paramref name="packet"/> as a REMB. Returns false for other types and formats, application
    /// feedback that is not "REMB", an SSRC count that disagrees with the length, or a bitrate past 64 bits.
    /// </summary>
    public static bool TryRead(RtcpPacket packet, out Remb remb)
    {
        remb = default;
        if (!FeedbackPacket.TryRead(packet, RtcpPacketType.PayloadSpecificFeedback, (int)PayloadSpecificFeedbackFormat.ApplicationLayer, out FeedbackPacket feedback))
        {
            return false;
        }

        ReadOnlySpan<byte> fci = feedback.Fci;
        if (fci.Length < FixedFciLength || BinaryPrimitives.ReadUInt32BigEndian(fci) != Identifier)
        {
            return false;
        }

        int ssrcCount = fci[4];
        if (fci.Length != FixedFciLength + (ssrcCount * 4))
        {
            return false;
        }

        int exponent = fci[5] >> 2;
        ulong mantissa = ((uint)(fci[5] & 0x03) << 16) | BinaryPrimitives.ReadUInt16BigEndian(fci.Slice(6));
        ulong bitrate = mantissa << exponent;
        if ((bitrate >> exponent) != mantissa)
        {
            return false;
        }

        remb = new Remb(feedback.SenderSsrc, feedback.MediaSsrc, bitrate, fci.Slice(FixedFciLength));
        return true;
    }
}
