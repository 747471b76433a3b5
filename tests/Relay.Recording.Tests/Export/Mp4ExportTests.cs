using System.Buffers.Binary;
using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

[Collection(EncodedClipsGroup.Name)]
public sealed class Mp4ExportTests(EncodedClips clips)
{
    [Fact]
    public void The_h264_clip_goes_to_rtp_as_single_nal_units_stap_a_and_fu_a()
    {
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan());
        var types = new HashSet<int>();
        foreach (RecordedPacket packet in video.Packets)
        {
            types.Add(packet.Data.Span[12] & 0x1F);
        }

        Assert.Contains(24, types);
        Assert.Contains(28, types);
        Assert.Contains(1, types);
    }

    [Fact]
    public void The_mp4_puts_the_parameter_sets_in_avcc_and_marks_keyframes_in_stss()
    {
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan());
        using var output = new MemoryStream();

        new RecordingExporter().Export([video.Track], RecordedStream.Merge(video), output);

        byte[] file = output.ToArray();
        ReadOnlySpan<byte> stss = Box(file, "stss"u8);
        int keyframes = clips.H264.Count(f => f.IsKeyframe);
        Assert.Equal(keyframes, BinaryPrimitives.ReadInt32BigEndian(stss[12..]));
        ReadOnlySpan<byte> avcC = Box(file, "avcC"u8);
        Assert.Equal(1, avcC[8]);
        Assert.Equal(66, avcC[9]);
        Assert.Equal(0xE1, avcC[13]);
    }

    private static ReadOnlySpan<byte> Box(byte[] file, ReadOnlySpan<byte> type)
    {
        int at = file.AsSpan().IndexOf(type);
        Assert.True(at >= 4, "box not found");
        int size = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at - 4));
        return file.AsSpan(at - 4, size);
    }
}
