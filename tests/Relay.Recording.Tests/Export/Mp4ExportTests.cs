using System.Buffers.Binary;
using Relay.Recording.Export;
using Relay.Recording.Tests.Packetization;

namespace Relay.Recording.Tests.Export;

[Collection(EncodedClipsGroup.Name)]
public sealed class Mp4ExportTests(EncodedClips clips)
{
    private const double FrameSeconds = 1.0 / EncodedClips.FramesPerSecond;

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
    public void A_clean_h264_recording_exports_as_mp4_that_ffprobe_reads_with_every_frame_and_the_clip_duration()
    {
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan());

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("h264-clean.mp4", [video.Track], RecordedStream.Merge(video));

        Assert.Equal(ExportContainer.Mp4, report.Container);
        Assert.Contains("mp4", probe.FormatName, StringComparison.Ordinal);
        ProbeStream stream = probe.Stream("video");
        Assert.Equal("h264", stream.CodecName);
        Assert.Equal((EncodedClips.Width, EncodedClips.Height), (stream.Width, stream.Height));
        Assert.Equal(video.FramesSent, stream.Frames);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, FrameSeconds);
    }

    [Fact]
    public void H264_and_opus_export_together_with_every_frame_of_each()
    {
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan { Seed = 11 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 12 });

        (_, ProbeResult probe) = clips.ExportAndProbe("h264-opus.mp4", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        Assert.Equal(video.FramesSent, probe.Stream("video").Frames);
        ProbeStream opus = probe.Stream("audio");
        Assert.Equal("opus", opus.CodecName);
        Assert.Equal(audio.FramesSent, opus.Frames);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, 0.07);
    }

    [Fact]
    public void Lost_and_reordered_h264_packets_drop_only_broken_frames_and_what_depends_on_them_so_the_file_decodes_cleanly()
    {
        var plan = new SendPlan { Seed = 13, LossRate = 0.05, LossUntilSeconds = 2.0, ReorderRate = 0.05 };
        RecordedStream video = RecordedStream.H264(0, clips.H264, plan);
        Assert.True(video.PacketsLost > 0);

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("h264-lossy.mp4", [video.Track], RecordedStream.Merge(video));

        ExportedTrack track = report.Tracks[0];
        Assert.True(track.Frames < video.FramesSent, "some frames must have been dropped");
        Assert.True(track.Frames >= EncodedClips.FramesPerSecond, "the clean last second must be there");
        Assert.Equal(track.Frames, probe.Stream("video").Frames);
        Assert.Equal(video.PacketsLost, track.Counters.LostPackets);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, FrameSeconds);
    }

    [Fact]
    public void A_publisher_reconnect_after_a_two_second_gap_keeps_the_gap_in_the_mp4_timeline()
    {
        int reconnect = WebMExportTests.FirstKeyframeFrom(clips.H264, 2 * EncodedClips.FramesPerSecond);
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan { Seed = 14, ReconnectAtFrame = reconnect, ReorderRate = 0.03 });
        int audioReconnect = (int)Math.Round(clips.H264[reconnect].Seconds / 0.020);
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 15, ReconnectAtFrame = audioReconnect });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("h264-opus-reconnect.mp4", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        Assert.All(report.Tracks, t => Assert.Equal(2, t.Counters.Timelines));
        Assert.Equal(video.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(audio.FramesSent, probe.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds + 2.0, probe.Duration, 0.07);
    }

    [Fact]
    public void Audio_that_starts_later_is_placed_by_an_edit_list_and_sender_reports_line_it_up()
    {
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan { Seed = 16, DelaySeconds = 0.030 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 17, DelaySeconds = 0.180 });
        (_, ProbeResult byArrival) = clips.ExportAndProbe("h264-opus-arrival.mp4", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        RecordedStream reportedVideo = RecordedStream.H264(0, clips.H264, new SendPlan { Seed = 16, DelaySeconds = 0.030, SenderReports = true });
        RecordedStream reportedAudio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 17, DelaySeconds = 0.180, SenderReports = true });
        (_, ProbeResult bySenderReports) = clips.ExportAndProbe("h264-opus-sr.mp4", [reportedVideo.Track, reportedAudio.Track], RecordedStream.Merge(reportedVideo, reportedAudio));

        Assert.Equal(0.150, byArrival.Stream("audio").StartTime - byArrival.Stream("video").StartTime, 0.010);
        Assert.Equal(0.0, bySenderReports.Stream("audio").StartTime - bySenderReports.Stream("video").StartTime, 0.010);
        Assert.Equal(reportedAudio.FramesSent, bySenderReports.Stream("audio").Frames);
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
