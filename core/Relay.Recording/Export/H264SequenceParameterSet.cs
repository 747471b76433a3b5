namespace Relay.Recording.Export;

/// <summary>
/// The parts of an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1) an MP4 needs: profile,
/// level and the cropped picture size.
/// </summary>
/// <remarks>
/// <code>
/// profile_idc u(8) | constraint flags u(8) | level_idc u(8) | seq_parameter_set_id ue(v)
/// [high profiles: chroma_format_idc ue(v) [separate_colour_plane u(1)] bit_depth_luma ue(v)
///   bit_depth_chroma ue(v) qpprime_y_zero_transform_bypass u(1) scaling_matrix_present u(1) [lists]]
/// log2_max_frame_num_minus4 ue(v) | pic_order_cnt_type ue(v) [...] | max_num_ref_frames ue(v)
/// gaps_in_frame_num_allowed u(1) | pic_width_in_mbs_minus1 ue(v) | pic_height_in_map_units_minus1 ue(v)
/// frame_mbs_only u(1) [mb_adaptive u(1)] | direct_8x8_inference u(1) | frame_cropping u(1) [4 x ue(v)]
/// </code>
/// The NAL payload is read with emulation prevention bytes (0x000003) removed. Any read past the end
/// makes <see cref="TryParse"/> return false.
/// </remarks>
internal readonly record struct H264SequenceParameterSet(byte Profile, byte Compatibility, byte Level, int Width, int Height)
{
    public static bool TryParse(ReadOnlySpan<byte> nalUnit, out H264SequenceParameterSet sps)
    {
        sps = default;
        if (nalUnit.Length < 4 || (nalUnit[0] & 0x1F) != 7)
        {
            return false;
        }

        var rbsp = new byte[nalUnit.Length];
        int length = 0;
        int zeros = 0;
        for (int i = 1; i < nalUnit.Length; i++)
        {
            byte b = nalUnit[i];
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            rbsp[length++] = b;
        }

        var bits = new BitReader(rbsp.AsSpan(0, length));
        int profile = bits.Read(8);
        int compatibility = bits.Read(8);
        int level = bits.Read(8);
        bits.ReadExpGolomb();
        int chromaFormat = 1;
        bool separateColourPlane = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormat = bits.ReadExpGolomb();
            if (chromaFormat == 3)
            {
                separateColourPlane = bits.Read(1) == 1;
            }

            bits.ReadExpGolomb();
            bits.ReadExpGolomb();
            bits.Read(1);
            if (bits.Read(1) == 1)
            {
                int lists = chromaFormat != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++)
                {
                    if (bits.Read(1) == 1)
                    {
                        SkipScalingList(ref bits, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        bits.ReadExpGolomb();
        int pocType = bits.ReadExpGolomb();
        if (pocType == 0)
        {
            bits.ReadExpGolomb();
        }
        else if (pocType == 1)
        {
            bits.Read(1);
            bits.ReadSignedExpGolomb();
            bits.ReadSignedExpGolomb();
            int cycle = bits.ReadExpGolomb();
            for (int i = 0; i < cycle && !bits.Overrun; i++)
            {
                bits.ReadSignedExpGolomb();
            }
        }

        bits.ReadExpGolomb();
        bits.Read(1);
        int widthInMbs = bits.ReadExpGolomb() + 1;
        int heightInMapUnits = bits.ReadExpGolomb() + 1;
        int frameMbsOnly = bits.Read(1);
        if (frameMbsOnly == 0)
        {
            bits.Read(1);
        }

        bits.Read(1);
        int cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (bits.Read(1) == 1)
        {
            cropLeft = bits.ReadExpGolomb();
            cropRight = bits.ReadExpGolomb();
            cropTop = bits.ReadExpGolomb();
            cropBottom = bits.ReadExpGolomb();
        }

        if (bits.Overrun || widthInMbs > 1024 || heightInMapUnits > 1024)
        {
            return false;
        }

        int chromaArrayType = separateColourPlane ? 0 : chromaFormat;
        int cropUnitX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
        int cropUnitY = (chromaArrayType == 0 ? 1 : (chromaArrayType == 1 ? 2 : 1)) * (2 - frameMbsOnly);
        int width = (widthInMbs * 16) - (cropUnitX * (cropLeft + cropRight));
        int height = ((2 - frameMbsOnly) * heightInMapUnits * 16) - (cropUnitY * (cropTop + cropBottom));
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        sps = new H264SequenceParameterSet((byte)profile, (byte)compatibility, (byte)level, width, height);
        return true;
    }

    private static void SkipScalingList(ref BitReader bits, int size)
    {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && !bits.Overrun; j++)
        {
            if (next != 0)
            {
                next = (last + bits.ReadSignedExpGolomb() + 256) % 256;
            }

            last = next == 0 ? last : next;
        }
    }

    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool Overrun => _position > _data.Length * 8;

        public int Read(int count)
        {
            int value = 0;
            for (int i = 0; i < count; i++)
            {
                int bit = 0;
                if (_position < _data.Length * 8)
                {
                    bit = (_data[_position >> 3] >> (7 - (_position & 7))) & 1;
                }

                _position++;
                value = (value << 1) | bit;
            }

            return value;
        }

        public int ReadExpGolomb()
        {
            int zeros = 0;
            while (Read(1) == 0)
            {
                if (++zeros > 30 || Overrun)
                {
                    _position = (_data.Length * 8) + 1;
                    return 0;
                }
            }

            return (int)((1L << zeros) - 1 + Read(zeros));
        }

        public int ReadSignedExpGolomb()
        {
            int k = ReadExpGolomb();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
