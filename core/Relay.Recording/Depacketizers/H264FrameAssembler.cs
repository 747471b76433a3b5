using System.Buffers.Binary;

namespace Relay.Recording.Depacketizers;

/// <summary>
/// H.264 access units from RTP in packetization mode 1 (RFC 6184 sections 5.6-5.8): single NAL unit
/// packets, STAP-A and FU-A (diagrams on <see cref="Relay.Media.H264PayloadInfo"/>). The output is the
/// access unit as NAL units each behind a 4-byte big-endian length, the form MP4 stores (ISO/IEC
/// 14496-15 section 5.3.2, lengthSizeMinusOne = 3).
/// </summary>
/// <remarks>
/// An FU-A must run from its S fragment to its E fragment inside the frame; anything else (a fragment
/// without a start, a start without an end, STAP-B/MTAP/FU-B of interleaved mode, NAL type 0 or a
/// reserved type) makes the frame invalid. The first slice must be the picture's first
/// (first_mb_in_slice = 0, ITU-T H.264 section 7.3.3), so a frame whose leading packet was lost is not
/// passed off as whole. Sequence and picture parameter sets are kept for the avcC.
/// </remarks>
internal sealed class H264FrameAssembler : IFrameAssembler
{
    private const int StapA = 24;
    private const int FuA = 28;
    private const int IdrSlice = 5;
    private const int Sps = 7;
    private const int Pps = 8;

    private readonly List<(int Start, int Length)> _nalUnits = [];

    /// <summary>The first sequence parameter set seen (NAL header included), or null.</summary>
    public byte[]? SequenceParameterSet { get; private set; }

    /// <summary>The first picture parameter set seen (NAL header included), or null.</summary>
    public byte[]? PictureParameterSet { get; private set; }

    public bool TryAssemble(IReadOnlyList<byte[]> payloads, out byte[] frame, out bool isKeyframe)
    {
        frame = [];
        isKeyframe = false;

        // First pass: check the layout and measure; the second only copies.
        int total = 0;
        bool inFragment = false;
        int fragmentLength = 0;
        _nalUnits.Clear();
        foreach (byte[] payload in payloads)
        {
            if (payload.Length == 0)
            {
                return false;
            }

            int type = payload[0] & 0x1F;
            if (type is >= 1 and <= 23)
            {
                if (inFragment)
                {
                    return false;
                }

                total += 4 + payload.Length;
            }
            else if (type == StapA)
            {
                if (inFragment)
                {
                    return false;
                }

                ReadOnlySpan<byte> rest = payload.AsSpan(1);
                if (rest.IsEmpty)
                {
                    return false;
                }

                while (!rest.IsEmpty)
                {
                    if (rest.Length < 2)
                    {
                        return false;
                    }

                    int size = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    if (size == 0 || size > rest.Length - 2 || (rest[2] & 0x1F) is 0 or > 23)
                    {
                        return false;
                    }

                    total += 4 + size;
                    rest = rest[(2 + size)..];
                }
            }
            else if (type == FuA)
            {
                if (payload.Length < 3)
                {
                    return false;
                }

                bool start = (payload[1] & 0x80) != 0;
                bool end = (payload[1] & 0x40) != 0;
                int fragmentType = payload[1] & 0x1F;
                if (fragmentType is 0 or > 23 || start == inFragment)
                {
                    // A start inside a fragment, or a middle/end fragment without one.
                    return false;
                }

                if (start)
                {
                    inFragment = true;
                    fragmentLength = 1;
                }

                fragmentLength += payload.Length - 2;
                if (end)
                {
                    inFragment = false;
                    total += 4 + fragmentLength;
                }
            }
            else
            {
                return false;
            }
        }

        if (inFragment || total == 0)
        {
            return false;
        }

        frame = new byte[total];
        int offset = 0;
        int fragmentStart = -1;
        foreach (byte[] payload in payloads)
        {
            int type = payload[0] & 0x1F;
            if (type is >= 1 and <= 23)
            {
                offset = AppendNalUnit(frame, offset, payload);
            }
            else if (type == StapA)
            {
                ReadOnlySpan<byte> rest = payload.AsSpan(1);
                while (!rest.IsEmpty)
                {
                    int size = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    offset = AppendNalUnit(frame, offset, rest.Slice(2, size));
                    rest = rest[(2 + size)..];
                }
            }
            else
            {
                if ((payload[1] & 0x80) != 0)
                {
                    // The fragmented unit's header: F and NRI from the FU indicator, the type from the FU header.
                    fragmentStart = offset;
                    offset += 4;
                    frame[offset++] = (byte)((payload[0] & 0xE0) | (payload[1] & 0x1F));
                }

                payload.AsSpan(2).CopyTo(frame.AsSpan(offset));
                offset += payload.Length - 2;
                if ((payload[1] & 0x40) != 0)
                {
                    BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(fragmentStart), offset - fragmentStart - 4);
                    _nalUnits.Add((fragmentStart + 4, offset - fragmentStart - 4));
                }
            }
        }

        return Inspect(frame, out isKeyframe);
    }

    private int AppendNalUnit(byte[] frame, int offset, ReadOnlySpan<byte> nalUnit)
    {
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(offset), nalUnit.Length);
        nalUnit.CopyTo(frame.AsSpan(offset + 4));
        _nalUnits.Add((offset + 4, nalUnit.Length));
        return offset + 4 + nalUnit.Length;
    }

    private bool Inspect(byte[] frame, out bool isKeyframe)
    {
        isKeyframe = false;
        bool sawSlice = false;
        foreach ((int start, int length) in _nalUnits)
        {
            int type = frame[start] & 0x1F;
            if (type is >= 1 and <= 5 && !sawSlice)
            {
                // first_mb_in_slice is ue(v): a leading 1 bit is the value 0.
                if (length < 2 || (frame[start + 1] & 0x80) == 0)
                {
                    return false;
                }

                sawSlice = true;
            }

            if (type == IdrSlice)
            {
                isKeyframe = true;
            }
            else if (type == Sps && SequenceParameterSet is null && length >= 4)
            {
                SequenceParameterSet = frame.AsSpan(start, length).ToArray();
            }
            else if (type == Pps && PictureParameterSet is null && length >= 2)
            {
                PictureParameterSet = frame.AsSpan(start, length).ToArray();
            }
        }

        return sawSlice;
    }
}
