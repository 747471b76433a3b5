using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>
/// Loss and reordering on the Opus track beside a video track, in both containers (VP8 and Opus go to
/// WebM; H.264 goes to MP4 and its Opus with it). An Opus packet is a whole frame, so a lost packet is a
/// lost frame and nothing else: every other frame must be in the file at the time it was sent, leaving
/// a gap where the lost one was rather than pulling the rest forward, and the audio must stay in step
/// with the video. ffprobe and ffmpeg must read and decode the file without an error.
/// </summary>
[Collection(EncodedClipsGroup.Name)]
public sealed class OpusLossExportTests(EncodedClips clips)
{
    public static TheoryData<string> Codecs => ["vp8", "h264"];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Lost_and_reordered_opus_packets_beside_video_leave_gaps_where_the_lost_frames_were_and_keep_audio_in_step_with_video(string codec)
    {
        // The first three audio frames are lost too, so the audio starts 60 ms after the video and must not be pulled to the file's start.
        VideoCase video = VideoCase.For(codec, clips);
        RecordedStream picture = video.Record(new SendPlan { Seed = video.Seed + 40, ReorderRate = 0.03 });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan
        {
            Seed = video.Seed + 41,
            LossRate = 0.08,
            ReorderRate = 0.3,
            LostFrames = new HashSet<int> { 0, 1, 2, 70, 71 },
        });
        Assert.True(audio.PacketsLost > 5 + 3, "random loss must come on top of the chosen frames");
        Assert.True(audio.PacketsReordered > 5, "packets must arrive out of order");
        int audioFrames = audio.FramesSent - audio.FramesWithLoss.Count;

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe(video.File("opus-loss"), [picture.Track, audio.Track], RecordedStream.Merge(picture, audio));

        ExportedTrack opus = report.Tracks[1];
        Assert.True(opus.Included);
        Assert.Equal(audioFrames, opus.Frames);
        // Packets lost before the first or after the last that arrived leave no gap in the sequence to count.
        int lostFirst = 0;
        while (audio.FramesWithLoss.Contains(lostFirst))
        {
            lostFirst++;
        }

        int lostLast = 0;
        while (audio.FramesWithLoss.Contains(audio.FramesSent - 1 - lostLast))
        {
            lostLast++;
        }

        Assert.True(
            audio.PacketsLost - lostFirst - lostLast == opus.Counters.LostPackets,
            $"{opus.Counters.LostPackets} gaps counted; lost frames {string.Join(' ', audio.FramesWithLoss.Order())}");
        Assert.Equal(0, opus.Counters.LatePackets);
        Assert.Equal(picture.FramesSent, report.Tracks[0].Frames);
        Assert.Equal(audioFrames, probe.Stream("audio").Frames);
        Assert.Equal(picture.FramesSent, probe.Stream("video").Frames);
        string path = Path.Combine(clips.Directory, video.File("opus-loss"));
        PlacedTimes.AssertMatch(PlacedTimes.Expected(picture), Ffmpeg.PacketTimes(path, "video"), "video");
        PlacedTimes.AssertMatch(PlacedTimes.Expected(audio), Ffmpeg.PacketTimes(path, "audio"), "audio");
    }
}
