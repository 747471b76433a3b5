using Relay.Protocols.Rtp;
using Relay.Testing;

namespace Relay.Media.Tests;

public class VideoPayloadTests
{
    public static TheoryData<string, VideoCodec> Captures => new()
    {
        { "ffmpeg-vp8.hex", VideoCodec.Vp8 },
        { "ffmpeg-h264.hex", VideoCodec.H264 },
    };

    [Fact]
    public void OtherCodecs_AreUnknownAndNeverAFrameStart()
    {
        byte[] payload = [0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0];
        Assert.Equal(KeyframeStatus.Unknown, VideoPayload.GetKeyframeStatus(VideoCodec.Other, payload));
        Assert.False(VideoPayload.IsFrameStart(VideoCodec.Other, payload));
    }

    [Fact]
    public void KeyframeStatus_ComesFromTheCodecsPayload()
    {
        byte[] vp8Key = [0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0];
        byte[] vp8Delta = [0x10, 0x11, 0x02, 0x00];
        Assert.Equal(KeyframeStatus.KeyframeStart, VideoPayload.GetKeyframeStatus(VideoCodec.Vp8, vp8Key));
        Assert.Equal(KeyframeStatus.NotKeyframeStart, VideoPayload.GetKeyframeStatus(VideoCodec.Vp8, vp8Delta));
        Assert.Equal(KeyframeStatus.KeyframeStart, VideoPayload.GetKeyframeStatus(VideoCodec.H264, [0x65, 0x88]));
        Assert.Equal(KeyframeStatus.NotKeyframeStart, VideoPayload.GetKeyframeStatus(VideoCodec.H264, [0x41, 0x88]));
    }

    [Fact]
    public void WholePacketOverload_LooksAtThePayloadOnly()
    {
        byte[] packet = TestRtp.Packet(1, payload: [0x65, 0x88, 0x84]);
        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader reader));
        Assert.Equal(KeyframeStatus.KeyframeStart, VideoPayload.GetKeyframeStatus(VideoCodec.H264, reader));
    }

    [Fact]
    public void IsFrameStart_FollowsTheCodecsStartFlags()
    {
        Assert.True(VideoPayload.IsFrameStart(VideoCodec.Vp8, [0x10, 0x11]));
        Assert.False(VideoPayload.IsFrameStart(VideoCodec.Vp8, [0x00, 0x11]));
        Assert.False(VideoPayload.IsFrameStart(VideoCodec.Vp8, [0x12, 0x11]));
        Assert.True(VideoPayload.IsFrameStart(VideoCodec.H264, [0x7C, 0x81, 0x00]));
        Assert.False(VideoPayload.IsFrameStart(VideoCodec.H264, [0x7C, 0x01, 0x00]));
        Assert.False(VideoPayload.IsFrameStart(VideoCodec.H264, []));
    }

    [Theory]
    [InlineData(3000u, false, 3000u, false)]
    [InlineData(3000u, true, 6000u, true)]
    [InlineData(3000u, false, 6000u, true)]
    [InlineData(3000u, true, 3000u, true)]
    public void StartsNewFrame_AfterAMarkerOrATimestampChange(uint previousTimestamp, bool previousMarker, uint timestamp, bool expected)
    {
        Assert.Equal(expected, VideoPayload.StartsNewFrame(previousTimestamp, previousMarker, timestamp));
    }

    [Fact]
    public void FfmpegVp8Capture_FrameStartsAgreeWithTheMarkerBits()
    {
        byte[][] packets = TestRtp.LoadCapture("ffmpeg-vp8.hex");
        for (int i = 1; i < packets.Length; i++)
        {
            RtpHeader previous = TestRtp.Header(packets[i - 1]);
            RtpHeader current = TestRtp.Header(packets[i]);
            bool byHeader = VideoPayload.StartsNewFrame(previous.Timestamp, previous.Marker, current.Timestamp);
            Assert.Equal(byHeader, VideoPayload.IsFrameStart(VideoCodec.Vp8, TestRtp.PayloadOf(packets[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryTruncatedPayload_NeverThrows(string capture, VideoCodec codec)
    {
        foreach (byte[] packet in TestRtp.LoadCapture(capture))
        {
            foreach (byte[] truncated in HostileInput.Truncations(TestRtp.PayloadOf(packet)))
            {
                Exercise(codec, truncated);
            }
        }
    }

    [Fact]
    public void EveryTruncatedKeyframeStart_IsNotAKeyframeStart()
    {
        // Below the full keyframe header no prefix may claim a keyframe; from it on, each must.
        byte[] vp8 = TestRtp.PayloadOf(TestRtp.LoadCapture("ffmpeg-vp8.hex")[0]);
        foreach (byte[] truncated in HostileInput.Truncations(vp8))
        {
            Assert.Equal(truncated.Length >= 4 + 10, Vp8PayloadDescriptor.IsKeyframeStart(truncated));
        }

        // A STAP-A prefix reads only where it ends exactly after a unit (here after the SPS, then the PPS).
        byte[] stapA = TestRtp.Hex("78 0004 6742c01f 0003 68ce3c 0005 6588840021");
        foreach (byte[] truncated in HostileInput.Truncations(stapA))
        {
            bool read = H264PayloadInfo.TryRead(truncated, out H264PayloadInfo info);
            Assert.Equal(truncated.Length is 7 or 12, read);
            Assert.False(read && (info.Begins & H264NalUnits.IdrSlice) != 0);
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void SeededCorruptions_NeverThrow(string capture, VideoCodec codec)
    {
        byte[][] packets = TestRtp.LoadCapture(capture);
        foreach (int index in new[] { 0, 1, packets.Length - 1 })
        {
            byte[] payload = TestRtp.PayloadOf(packets[index]);
            foreach ((int _, byte[] input) in HostileInput.Corruptions(payload, seeds: 200, perSeed: 20))
            {
                Exercise(codec, input);
            }
        }

        foreach ((int _, byte[] input) in HostileInput.Corruptions(TestRtp.Hex("78 0004 6742c01f 0003 68ce3c 0005 6588840021"), seeds: 200, perSeed: 50))
        {
            Exercise(codec, input);
        }
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            for (int round = 0; round < 50; round++)
            {
                byte[] payload = new byte[random.Next(0, 40)];
                random.NextBytes(payload);
                Exercise(VideoCodec.Vp8, payload);
                Exercise(VideoCodec.H264, payload);
            }
        }
    }

    private static void Exercise(VideoCodec codec, byte[] payload)
    {
        KeyframeStatus status = VideoPayload.GetKeyframeStatus(codec, payload);
        Assert.NotEqual(KeyframeStatus.Unknown, status);
        _ = VideoPayload.IsFrameStart(codec, payload);
        if (Vp8PayloadDescriptor.TryRead(payload, out Vp8PayloadDescriptor descriptor))
        {
            Assert.InRange(descriptor.Length, 1, payload.Length - 1);
            _ = descriptor.PictureId + descriptor.TemporalLayer + descriptor.KeyIndex + descriptor.Tl0PicIndex;
        }

        if (H264PayloadInfo.TryRead(payload, out H264PayloadInfo info))
        {
            Assert.InRange(info.NalUnitType, 0, 31);
        }
    }
}
