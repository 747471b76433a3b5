namespace Relay.Media;

/// <summary>
/// The VP8 payload descriptor that starts every VP8 RTP payload (RFC 7741 section 4.2), and the start
/// of the VP8 payload header (section 4.3) that follows it in the first packet of a frame.
/// </summary>
/// <remarks>
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
///      |   PictureID   | (OPTIONAL, present when M = 1: a 15-bit picture id)
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL, present when T or K is set)
///      +-+-+-+-+-+-+-+-+
/// </code>
/// Then, when S = 1 and PID = 0 (the start of a frame), the VP8 payload header, whose P bit is 0 for a
/// keyframe; a keyframe's header continues with the start code 0x9D 0x01 0x2A and the frame size
/// (RFC 6386 section 9.1):
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |Size0|H| VER |P|
///      +-+-+-+-+-+-+-+-+
///      |     Size1     |
///      +-+-+-+-+-+-+-+-+
///      |     Size2     |
///      +-+-+-+-+-+-+-+-+
///      | 0x9D 0x01 0x2A| (keyframes only) then width (2 bytes) and height (2 bytes), little-endian
/// </code>
/// <see cref="TryRead"/> checks that every byte the flags announce is present and that at least one
/// byte of VP8 data follows the descriptor (RFC 7741 leaves no room for an empty payload).
/// </remarks>
public readonly struct Vp8PayloadDescriptor
{
    private const int KeyframeHeaderLength = 10;

    private readonly byte _first;
    private readonly byte _extension;
    private readonly byte _layers;

    private Vp8PayloadDescriptor(byte first, byte extension, ushort pictureId, bool longPictureId, byte tl0PicIndex, byte layers, int length)
    {
        _first = first;
        _extension = extension;
        PictureId = pictureId;
        HasLongPictureId = longPictureId;
        Tl0PicIndex = tl0PicIndex;
        _layers = layers;
        Length = length;
    }

    /// <summary>Bytes of the descriptor; the VP8 data starts here.</summary>
    public int Length { get; }

    /// <summary>N: the frame is not used as a reference and can be discarded.</summary>
    public bool IsNonReference => (_first & 0x20) != 0;

    /// <summary>S: the packet starts a VP8 partition.</summary>
    public bool IsStartOfPartition => (_first & 0x10) != 0;

    /// <summary>PID: the index of the partition the packet's first byte belongs to (0-7).</summary>
    public int PartitionIndex => _first & 0x07;

    /// <summary>Whether this packet starts a frame: S = 1 and PID = 0.</summary>
    public bool IsFrameStart => (_first & 0x17) == 0x10;

    /// <summary>I: a picture id is present.</summary>
    public bool HasPictureId => (_extension & 0x80) != 0;

    /// <summary>Whether the picture id uses 15 bits (M = 1) rather than 7.</summary>
    public bool HasLongPictureId { get; }

    /// <summary>The picture id (7 or 15 bits); 0 when absent.</summary>
    public ushort PictureId { get; }

    /// <summary>L: TL0PICIDX is present.</summary>
    public bool HasTl0PicIndex => (_extension & 0x40) != 0;

    /// <summary>The temporal layer zero picture index; 0 when absent.</summary>
    public byte Tl0PicIndex { get; }

    /// <summary>T: the temporal layer index and the layer sync bit are present.</summary>
    public bool HasTemporalLayer => (_extension & 0x20) != 0;

    /// <summary>TID: the temporal layer (0-3); 0 when absent.</summary>
    public int TemporalLayer => HasTemporalLayer ? _layers >> 6 : 0;

    /// <summary>Y: the frame depends only on temporal layer zero (layer sync).</summary>
    public bool IsLayerSync => HasTemporalLayer && (_layers & 0x20) != 0;

    /// <summary>K: KEYIDX is present.</summary>
    public bool HasKeyIndex => (_extension & 0x10) != 0;

    /// <summary>KEYIDX (0-31); 0 when absent.</summary>
    public int KeyIndex => HasKeyIndex ? _layers & 0x1F : 0;

    /// <summary>
    /// Reads the descriptor at the start of <paramref name="payload"/> (the RTP payload). False if a
    /// byte the flags announce is missing or no VP8 data follows.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }

        byte first = payload[0];
        int offset = 1;
        byte extension = 0;
        ushort pictureId = 0;
        bool longPictureId = false;
        byte tl0PicIndex = 0;
        byte layers = 0;
        if ((first & 0x80) != 0)
        {
            if (payload.Length <= offset)
            {
                return false;
            }

            extension = payload[offset++];
            if ((extension & 0x80) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                pictureId = (ushort)(payload[offset] & 0x7F);
                longPictureId = (payload[offset++] & 0x80) != 0;
                if (longPictureId)
                {
                    if (payload.Length <= offset)
                    {
                        return false;
                    }

                    pictureId = (ushort)((pictureId << 8) | payload[offset++]);
                }
            }

            if ((extension & 0x40) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                tl0PicIndex = payload[offset++];
            }

            if ((extension & 0x30) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                layers = payload[offset++];
            }
        }

        if (payload.Length <= offset)
        {
            return false;
        }

        descriptor = new Vp8PayloadDescriptor(first, extension, pictureId, longPictureId, tl0PicIndex, layers, offset);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="payload"/> (an RTP payload) starts a VP8 keyframe: a valid descriptor with
    /// S = 1 and PID = 0, then a payload header with P = 0, long enough for a keyframe header and
    /// carrying its start code. False for anything else, including malformed payloads.
    /// </summary>
    public static bool IsKeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (!TryRead(payload, out Vp8PayloadDescriptor descriptor) || !descriptor.IsFrameStart)
        {
            return false;
        }

        ReadOnlySpan<byte> header = payload[descriptor.Length..];
        return header.Length >= KeyframeHeaderLength
            && (header[0] & 0x01) == 0
            && header[3] == 0x9D
            && header[4] == 0x01
            && header[5] == 0x2A;
    }
}
