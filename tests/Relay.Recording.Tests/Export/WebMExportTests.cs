using Relay.Recording.Export;
using Relay.Recording.Tests.Packetization;

namespace Relay.Recording.Tests.Export;

[Collection(EncodedClipsGroup.Name)]
public sealed class WebMExportTests(EncodedClips clips)
{
    private const double FrameSeconds = 1.0 / EncodedClips.FramesPerSecond;

    [Fact]
    public void A_clean_vp8_recording_exports_as_webm_that_ffprobe_reads_with_every_frame_and_the_clip_duration()
    {
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan());

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("vp8-clean.webm", [video.Track], RecordedStream.Merge(video));

        Assert.Equal(ExportContainer.WebM, report.Container);
        Assert.Contains("webm", probe.FormatName, StringComparison.Ordinal);
        ProbeStream stream = probe.Stream("video");
        Assert.Equal("vp8", stream.CodecName);
        Assert.Equal((EncodedClips.Width, EncodedClips.Height), (stream.Width, stream.Height));
        Assert.Equal(video.FramesSent, stream.Frames);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, FrameSeconds);
    }

    [Fact]
    public void Vp8_and_opus_export_together_with_every_frame_of_each()
    {
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 2 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 3 });

        (_, ProbeResult probe) = clips.ExportAndProbe("vp8-opus.webm", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        Assert.Equal(video.FramesSent, probe.Stream("video").Frames);
        ProbeStream opus = probe.Stream("audio");
        Assert.Equal("opus", opus.CodecName);
        Assert.Equal(audio.FramesSent, opus.Frames);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, 0.07);
    }

    [Fact]
    public void Lost_and_reordered_packets_drop_only_broken_frames_and_what_depends_on_them_so_the_file_decodes_cleanly()
    {
        // Loss only in the first two seconds, so the last second (from a keyframe) must come through whole.
        var plan = new SendPlan { Seed = 4, LossRate = 0.04, LossUntilSeconds = 2.0, ReorderRate = 0.05 };
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, plan);
        Assert.True(video.PacketsLost > 0);

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("vp8-lossy.webm", [video.Track], RecordedStream.Merge(video));

        ExportedTrack track = report.Tracks[0];
        Assert.True(track.Frames < video.FramesSent, "some frames must have been dropped");
        Assert.True(track.Frames >= EncodedClips.FramesPerSecond, "the clean last second must be there");
        Assert.Equal(track.Frames, probe.Stream("video").Frames);
        Assert.Equal(video.PacketsLost, track.Counters.LostPackets);
        Assert.Equal(0, track.Counters.LatePackets);
        Assert.Equal(EncodedClips.Seconds, probe.Duration, FrameSeconds);
    }

    [Fact]
    public void A_publisher_reconnect_after_a_two_second_gap_keeps_the_gap_in_the_timeline()
    {
        int reconnect = FirstKeyframeFrom(clips.Vp8, 2 * EncodedClips.FramesPerSecond);
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 5, ReconnectAtFrame = reconnect });
        int audioReconnect = (int)Math.Round(clips.Vp8[reconnect].Seconds / 0.020);
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 6, ReconnectAtFrame = audioReconnect });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("vp8-opus-reconnect.webm", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        Assert.All(report.Tracks, t => Assert.Equal(2, t.Counters.Timelines));
        Assert.Equal(video.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(audio.FramesSent, probe.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds + 2.0, probe.Duration, 0.07);
    }

    [Fact]
    public void A_sender_that_restarts_its_rtp_clock_but_keeps_its_ssrc_and_sequence_still_gets_a_new_timeline_after_the_gap()
    {
        int reconnect = FirstKeyframeFrom(clips.Vp8, 2 * EncodedClips.FramesPerSecond);
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 9, ReconnectAtFrame = reconnect, ReconnectKeepsSsrcAndSequence = true });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("vp8-clock-restart.webm", [video.Track], RecordedStream.Merge(video));

        Assert.Equal(2, report.Tracks[0].Counters.Timelines);
        Assert.Equal(video.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(EncodedClips.Seconds + 2.0, probe.Duration, FrameSeconds);
    }

    [Fact]
    public void Sender_reports_line_audio_up_with_video_when_audio_arrives_later()
    {
        // The audio is 150 ms later on the network than the video; sender reports say they were captured together.
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 7, SenderReports = true, DelaySeconds = 0.030 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 8, SenderReports = true, DelaySeconds = 0.180 });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("vp8-opus-sr.webm", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        Assert.All(report.Tracks, t => Assert.True(t.Timelines[0].HasSenderReport));
        Assert.Equal(probe.Stream("video").StartTime, probe.Stream("audio").StartTime, 0.010);
    }

    [Fact]
    public void Without_sender_reports_tracks_are_placed_by_arrival()
    {
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 7, DelaySeconds = 0.030 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan { Seed = 8, DelaySeconds = 0.180 });

        (_, ProbeResult probe) = clips.ExportAndProbe("vp8-opus-arrival.webm", [video.Track, audio.Track], RecordedStream.Merge(video, audio));

        Assert.Equal(0.150, probe.Stream("audio").StartTime - probe.Stream("video").StartTime, 0.010);
    }

    internal static int FirstKeyframeFrom(IReadOnlyList<EncodedFrame> frames, int from)
    {
        for (int i = from; i < frames.Count; i++)
        {
            if (frames[i].IsKeyframe)
            {
                return i;
            }
        }

        throw new InvalidOperationException("The clip has no keyframe after frame " + from);
    }
}
