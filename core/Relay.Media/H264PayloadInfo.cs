using System.Buffers.Binary;

namespace Relay.Media;

/// <summary>
/// What an H.264 RTP payload (RFC 6184) carries: its packetization and which NAL units begin in it.
/// </summary>
/// <remarks>
/// Every payload starts with a NAL unit header (section 5.3); its type says how the rest is laid out:
/// <code>
/// +---------------+
/// |0|1|2|3|4|5|6|7|
/// +-+-+-+-+-+-+-+-+
/// |F|NRI|  Type   |
/// +---------------+
/// </code>
/// Types 1-23 are a single NAL unit (section 5.6). Type 24, STAP-A (section 5.7.1), aggregates whole
/// NAL units, each behind its 16-bit size:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |STAP-A NAL HDR |         NALU 1 Size           | NALU 1 HDR    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         NALU 1 Data                           |
/// :                                                               :
/// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |               | NALU 2 Size                   | NALU 2 HDR    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         NALU 2 Data                           |
/// :                                                               :
/// </code>
/// Type 28, FU-A (section 5.8), carries a fragment of one NAL unit; S marks the first fragment, E the
/// last, and Type is the fragmented unit's own type:
/// <code>
/// +---------------+---------------+
/// | FU indicator  |   FU header   |  FU payload ...
/// |F|NRI|  28     |S|E|R|  Type   |
/// +---------------+---------------+
/// </code>
/// <see cref="TryRead"/> returns false for an empty payload, an FU-A without its header, or a STAP-A
/// whose sizes are zero, run past the payload, or leave stray bytes. Other types (interleaved-mode
/// STAP-B, MTAPs, FU-B, reserved) read as <see cref="H264PacketType.Other"/> with nothing beginning.
/// </remarks>
public readonly struct H264PayloadInfo
{
    private const int StapA = 24;
    private const int FuA = 28;

    private H264PayloadInfo(H264PacketType packetType, int nalUnitType, H264NalUnits begins, bool startsNalUnit, bool endsNalUnit)
    {
        PacketType = packetType;
        NalUnitType = nalUnitType;
        Begins = begins;
        StartsNalUnit = startsNalUnit;
        EndsNalUnit = endsNalUnit;
    }

    public H264PacketType PacketType { get; }

    /// <summary>
    /// The NAL unit type: of the unit itself for a single NAL unit, of the fragmented unit for an
    /// FU-A, 24 for a STAP-A, the payload's own type otherwise.
    /// </summary>
    public int NalUnitType { get; }

    /// <summary>The slices and parameter sets that begin in this packet (an FU-A's only with S = 1).</summary>
    public H264NalUnits Begins { get; }

    /// <summary>Whether the packet's first byte of NAL data starts a NAL unit (all but non-first FU-A fragments).</summary>
    public bool StartsNalUnit { get; }

    /// <summary>Whether the packet's last byte ends a NAL unit (all but non-last FU-A fragments).</summary>
    public bool EndsNalUnit { get; }

    /// <summary>
    /// Whether a decoder can start at this packet: it begins an IDR slice, or a sequence parameter set.
    /// Encoders send SPS and PPS right before the IDR picture they describe (libwebrtc and mediasoup
    /// treat an SPS as the start of a keyframe the same way), so starting at the SPS keeps them.
    /// </summary>
    public bool IsKeyframeStart => (Begins & (H264NalUnits.IdrSlice | H264NalUnits.Sps)) != 0;

    /// <summary>Reads an H.264 RTP payload (after the RTP header, without padding).</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out H264PayloadInfo info)
    {
        if (payload.IsEmpty)
        {
            info = default;
            return false;
        }

        int type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                info = new H264PayloadInfo(H264PacketType.SingleNalUnit, type, Classify(type), startsNalUnit: true, endsNalUnit: true);
                return true;

            case StapA:
                return TryReadStapA(payload, out info);

            case FuA:
                if (payload.Length < 2)
                {
                    info = default;
                    return false;
                }

                byte fuHeader = payload[1];
                bool start = (fuHeader & 0x80) != 0;
                int fragmentType = fuHeader & 0x1F;
                info = new H264PayloadInfo(
                    H264PacketType.FuA,
                    fragmentType,
                    start ? Classify(fragmentType) : H264NalUnits.None,
                    startsNalUnit: start,
                    endsNalUnit: (fuHeader & 0x40) != 0);
                return true;

            default:
                info = new H264PayloadInfo(H264PacketType.Other, type, H264NalUnits.None, startsNalUnit: false, endsNalUnit: false);
                return true;
        }
    }

    private static bool TryReadStapA(ReadOnlySpan<byte> payload, out H264PayloadInfo info)
    {
        H264NalUnits begins = H264NalUnits.None;
        ReadOnlySpan<byte> rest = payload[1..];
        if (rest.IsEmpty)
        {
            info = default;
            return false;
        }

        while (!rest.IsEmpty)
        {
            if (rest.Length < 2)
            {
                info = default;
                return false;
            }

            int size = BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (size == 0 || size > rest.Length - 2)
            {
                info = default;
                return false;
            }

            begins |= Classify(rest[2] & 0x1F);
            rest = rest[(2 + size)..];
        }

        info = new H264PayloadInfo(H264PacketType.StapA, StapA, begins, startsNalUnit: true, endsNalUnit: true);
        return true;
    }

    private static H264NalUnits Classify(int type) => type switch
    {
        1 => H264NalUnits.NonIdrSlice,
        5 => H264NalUnits.IdrSlice,
        7 => H264NalUnits.Sps,
        8 => H264NalUnits.Pps,
        _ => H264NalUnits.None,
    };
}
