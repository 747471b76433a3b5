using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>
/// What every playable export must do whichever the codec: VP8 goes to WebM, H.264 to MP4, each with
/// Opus beside it, and ffprobe must read the file back with every frame sent and the right timeline.
/// Codec-specific details (packetization, boxes) are in <see cref="WebMExportTests"/> and <see cref="Mp4ExportTests"/>.
/// </summary>
[Collection(EncodedClipsGroup.Name)]
public sealed class PlayableExportTests(EncodedClips clips)
{
    private const double FrameSeconds = 1.0 / EncodedClips.FramesPerSecond;
    private const double AudioFrameSeconds = 0.020;

    public static TheoryData<string> Codecs => ["vp8", "h264"];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void A_clean_recording_exports_as_a_file_that_ffprobe_reads_with_every_frame_and_the_clip_duration(string codec)
    {
        VideoCase video = VideoCase.For(codec, clips);
        RecordedStream stream = video.Record(new SendPlan());

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe(video.File("clean"), [stream.Track], RecordedStream.Merge(stream));

        Assert.Equal(video.Container, report.Container);
        Assert.Contains(video.FormatName, probe.FormatName, StringComparison.Ordinal);
        ProbeStream probed = probe.Stream("video");
        Assert.Equal(codec, probed.CodecName);
        Assert.Equal((EncodedClips.Width, EncodedClips.Height), (probed.Width, probed.Height));
        Assert.Equal(stream.FramesSent, probed.Frames);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, FrameSeconds);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Video_and_opus_export_together_with_every_frame_of_each(string codec)
    {
        VideoCase video = VideoCase.For(codec, clips);
        RecordedStream stream = video.Record(new SendPlan { Seed = video.Seed });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = video.Seed + 1 });

        (_, ProbeResult probe) = clips.ExportAndProbe(video.File("opus"), [stream.Track, audio.Track], RecordedStream.Merge(stream, audio));

        Assert.Equal(stream.FramesSent, probe.Stream("video").Frames);
        ProbeStream opus = probe.Stream("audio");
        Assert.Equal("opus", opus.CodecName);
        Assert.Equal(audio.FramesSent, opus.Frames);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, 0.07);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Lost_and_reordered_packets_drop_only_broken_frames_and_what_depends_on_them_so_the_file_decodes_cleanly(string codec)
    {
        // Loss only in the first two seconds, so the last second (from a keyframe) must come through whole.
        VideoCase video = VideoCase.For(codec, clips);
        RecordedStream stream = video.Record(new SendPlan { Seed = video.Seed + 2, LossRate = video.LossRate, LossUntilSeconds = 2.0, ReorderRate = 0.05 });
        Assert.True(stream.PacketsLost > 0);

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe(video.File("lossy"), [stream.Track], RecordedStream.Merge(stream));

        ExportedTrack track = report.Tracks[0];
        Assert.True(track.Frames < stream.FramesSent, "some frames must have been dropped");
        Assert.True(track.Frames >= EncodedClips.FramesPerSecond, "the clean last second must be there");
        Assert.Equal(track.Frames, probe.Stream("video").Frames);
        Assert.Equal(stream.PacketsLost, track.Counters.LostPackets);
        Assert.Equal(0, track.Counters.LatePackets);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, FrameSeconds);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void A_publisher_reconnect_after_a_two_second_gap_keeps_the_gap_in_the_timeline(string codec)
    {
        VideoCase video = VideoCase.For(codec, clips);
        int reconnect = EncodedClips.FirstKeyframeFrom(video.Frames, 2 * EncodedClips.FramesPerSecond);
        RecordedStream stream = video.Record(new SendPlan { Seed = video.Seed + 3, ReconnectAtFrame = reconnect, ReorderRate = 0.03 });
        int audioReconnect = (int)Math.Round(video.Frames[reconnect].Seconds / AudioFrameSeconds);
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = video.Seed + 4, ReconnectAtFrame = audioReconnect });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe(video.File("opus-reconnect"), [stream.Track, audio.Track], RecordedStream.Merge(stream, audio));

        Assert.All(report.Tracks, t => Assert.Equal(2, t.Counters.Timelines));
        Assert.Equal(stream.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(audio.FramesSent, probe.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds + 2.0, probe.Duration, 0.07);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Sender_reports_line_audio_up_with_video_when_audio_arrives_later(string codec)
    {
        // The audio is 150 ms later on the network than the video; sender reports say they were captured together.
        VideoCase video = VideoCase.For(codec, clips);
        RecordedStream stream = video.Record(new SendPlan { Seed = video.Seed + 5, SenderReports = true, DelaySeconds = 0.030 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = video.Seed + 6, SenderReports = true, DelaySeconds = 0.180 });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe(video.File("opus-sr"), [stream.Track, audio.Track], RecordedStream.Merge(stream, audio));

        Assert.All(report.Tracks, t => Assert.True(t.Timelines[0].HasSenderReport));
        Assert.Equal(probe.Stream("video").StartTime, probe.Stream("audio").StartTime, 0.010);
        Assert.Equal(audio.FramesSent, probe.Stream("audio").Frames);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Without_sender_reports_tracks_are_placed_by_arrival(string codec)
    {
        VideoCase video = VideoCase.For(codec, clips);
        RecordedStream stream = video.Record(new SendPlan { Seed = video.Seed + 5, DelaySeconds = 0.030 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = video.Seed + 6, DelaySeconds = 0.180 });

        (_, ProbeResult probe) = clips.ExportAndProbe(video.File("opus-arrival"), [stream.Track, audio.Track], RecordedStream.Merge(stream, audio));

        Assert.Equal(0.150, probe.Stream("audio").StartTime - probe.Stream("video").StartTime, 0.010);
    }
}
