using Relay.Media;

namespace Relay.Recording.Depacketizers;

/// <summary>
/// VP8 frames from RTP (RFC 7741): each packet's payload descriptor (section 4.2) is stripped and the
/// VP8 data concatenated. The first packet must start partition 0 (S = 1, PID = 0); the marker bit on
/// the last packet (checked by the caller) ends the frame.
/// </summary>
/// <remarks>
/// The frame then starts with the VP8 frame tag (RFC 6386 section 9.1): P = 0 marks a keyframe, whose
/// header carries the start code 0x9D 0x01 0x2A and the 14-bit width and height, little-endian.
/// <code>
/// | Size0 |H| VER |P| Size1 | Size2 | 0x9D 0x01 0x2A | width (2) | height (2) |
/// </code>
/// </remarks>
internal sealed class Vp8FrameAssembler : IFrameAssembler
{
    /// <summary>Width of the first keyframe, 0 before one (the container's track size; the bitstream carries any change).</summary>
    public int Width { get; private set; }

    /// <summary>Height of the first keyframe, 0 before one.</summary>
    public int Height { get; private set; }

    public bool TryAssemble(IReadOnlyList<byte[]> payloads, out byte[] frame, out bool isKeyframe)
    {
        frame = [];
        isKeyframe = false;
        int total = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            if (!Vp8PayloadDescriptor.TryRead(payloads[i], out Vp8PayloadDescriptor descriptor))
            {
                return false;
            }

            if (i == 0 && !descriptor.IsFrameStart)
            {
                return false;
            }

            total += payloads[i].Length - descriptor.Length;
        }

        if (total < 3)
        {
            return false;
        }

        frame = new byte[total];
        int offset = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            Vp8PayloadDescriptor.TryRead(payloads[i], out Vp8PayloadDescriptor descriptor);
            ReadOnlySpan<byte> data = payloads[i].AsSpan(descriptor.Length);
            data.CopyTo(frame.AsSpan(offset));
            offset += data.Length;
        }

        if ((frame[0] & 0x01) == 0)
        {
            // A keyframe must carry its start code and size; without them no decoder can start here.
            if (!TryReadKeyframeSize(frame, out int width, out int height))
            {
                return false;
            }

            if (Width == 0)
            {
                Width = width;
                Height = height;
            }

            isKeyframe = true;
        }

        return true;
    }

    /// <summary>Reads the size of a VP8 keyframe (RFC 6386 section 9.1); false if it is not one or is cut short.</summary>
    public static bool TryReadKeyframeSize(ReadOnlySpan<byte> frame, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (frame.Length < 10 || (frame[0] & 0x01) != 0 || frame[3] != 0x9D || frame[4] != 0x01 || frame[5] != 0x2A)
        {
            return false;
        }

        width = (frame[6] | (frame[7] << 8)) & 0x3FFF;
        height = (frame[8] | (frame[9] << 8)) & 0x3FFF;
        return width > 0 && height > 0;
    }
}
