namespace Relay.Media.Tests;

public class H264PayloadInfoTests
{
    [Theory]
    [InlineData(0x65, 5, H264NalUnits.IdrSlice, true)]
    [InlineData(0x41, 1, H264NalUnits.NonIdrSlice, false)]
    [InlineData(0x67, 7, H264NalUnits.Sps, true)]
    [InlineData(0x68, 8, H264NalUnits.Pps, false)]
    [InlineData(0x06, 6, H264NalUnits.None, false)]
    public void SingleNalUnit_IsClassifiedByType(byte header, int type, H264NalUnits begins, bool keyframe)
    {
        Assert.True(H264PayloadInfo.TryRead([header, 0x88, 0x84], out H264PayloadInfo info));
        Assert.Equal(H264PacketType.SingleNalUnit, info.PacketType);
        Assert.Equal(type, info.NalUnitType);
        Assert.Equal(begins, info.Begins);
        Assert.Equal(keyframe, info.IsKeyframeStart);
        Assert.True(info.StartsNalUnit);
        Assert.True(info.EndsNalUnit);
    }

    [Fact]
    public void StapA_WithSpsPpsAndIdr_ReportsAllThree()
    {
        // Chrome's shape for a keyframe that fits: STAP-A(SPS, PPS, IDR slice).
        byte[] payload = TestRtp.Hex("78 0004 6742c01f 0003 68ce3c 0005 6588840021");
        Assert.True(H264PayloadInfo.TryRead(payload, out H264PayloadInfo info));
        Assert.Equal(H264PacketType.StapA, info.PacketType);
        Assert.Equal(24, info.NalUnitType);
        Assert.Equal(H264NalUnits.Sps | H264NalUnits.Pps | H264NalUnits.IdrSlice, info.Begins);
        Assert.True(info.IsKeyframeStart);
    }

    [Fact]
    public void StapA_OfNonIdrSlices_IsNoKeyframe()
    {
        byte[] payload = TestRtp.Hex("18 0002 4101 0002 4102");
        Assert.True(H264PayloadInfo.TryRead(payload, out H264PayloadInfo info));
        Assert.Equal(H264NalUnits.NonIdrSlice, info.Begins);
        Assert.False(info.IsKeyframeStart);
    }

    [Theory]
    [InlineData("18", "no units")]
    [InlineData("18 00", "size cut short")]
    [InlineData("18 0000 67", "zero size")]
    [InlineData("18 0005 67420a", "size past the end")]
    [InlineData("18 0002 6742 00", "stray byte after the last unit")]
    [InlineData("7c", "FU-A without its header")]
    [InlineData("", "empty")]
    public void MalformedPayloads_AreRejected(string hex, string why)
    {
        Assert.False(H264PayloadInfo.TryRead(TestRtp.Hex(hex), out _), why);
        Assert.Equal(KeyframeStatus.NotKeyframeStart, VideoPayload.GetKeyframeStatus(VideoCodec.H264, TestRtp.Hex(hex)));
    }

    [Fact]
    public void FuA_OnlyTheStartFragmentBeginsTheUnit()
    {
        Assert.True(H264PayloadInfo.TryRead([0x7C, 0x85, 0xB8], out H264PayloadInfo start));
        Assert.Equal(H264PacketType.FuA, start.PacketType);
        Assert.Equal(5, start.NalUnitType);
        Assert.Equal(H264NalUnits.IdrSlice, start.Begins);
        Assert.True(start.StartsNalUnit);
        Assert.False(start.EndsNalUnit);
        Assert.True(start.IsKeyframeStart);

        Assert.True(H264PayloadInfo.TryRead([0x7C, 0x05, 0xB8], out H264PayloadInfo middle));
        Assert.Equal(H264NalUnits.None, middle.Begins);
        Assert.False(middle.StartsNalUnit);
        Assert.False(middle.IsKeyframeStart);

        Assert.True(H264PayloadInfo.TryRead([0x7C, 0x45, 0xB8], out H264PayloadInfo end));
        Assert.True(end.EndsNalUnit);
        Assert.False(end.IsKeyframeStart);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x19)]
    [InlineData(0x1A)]
    [InlineData(0x1B)]
    [InlineData(0x1D)]
    [InlineData(0x1E)]
    [InlineData(0x1F)]
    public void InterleavedAndReservedTypes_ReadAsOtherWithNothingBeginning(byte header)
    {
        Assert.True(H264PayloadInfo.TryRead([header, 0x85, 0x00, 0x00], out H264PayloadInfo info));
        Assert.Equal(H264PacketType.Other, info.PacketType);
        Assert.Equal(H264NalUnits.None, info.Begins);
        Assert.False(info.IsKeyframeStart);
    }

    [Fact]
    public void FfmpegCapture_ParameterSetsThenAnIdrSliceOpenTheStream()
    {
        byte[][] packets = TestRtp.LoadCapture("ffmpeg-h264.hex");
        Assert.Equal(16, packets.Length);
        var infos = packets.Select(p =>
        {
            Assert.True(H264PayloadInfo.TryRead(TestRtp.PayloadOf(p), out H264PayloadInfo info));
            return info;
        }).ToArray();

        Assert.Equal(H264PacketType.StapA, infos[0].PacketType);
        Assert.Equal(H264NalUnits.Sps | H264NalUnits.Pps, infos[0].Begins);
        Assert.True(infos[0].IsKeyframeStart);

        Assert.Equal(H264PacketType.FuA, infos[1].PacketType);
        Assert.Equal(6, infos[1].NalUnitType);
        Assert.True(infos[3].StartsNalUnit);
        Assert.Equal(H264NalUnits.IdrSlice, infos[3].Begins);
        Assert.True(infos[12].EndsNalUnit);
        Assert.Equal(H264NalUnits.NonIdrSlice, infos[13].Begins);
        Assert.Equal(H264PacketType.SingleNalUnit, infos[15].PacketType);
        Assert.Equal(H264NalUnits.NonIdrSlice, infos[15].Begins);

        int[] keyframeStarts = infos.Select((info, i) => (info, i)).Where(x => x.info.IsKeyframeStart).Select(x => x.i).ToArray();
        Assert.Equal([0, 3], keyframeStarts);
    }
}
