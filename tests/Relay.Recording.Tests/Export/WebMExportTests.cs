using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

[Collection(EncodedClipsGroup.Name)]
public sealed class WebMExportTests(EncodedClips clips)
{
    private const double FrameSeconds = 1.0 / EncodedClips.FramesPerSecond;

    [Fact]
    public void A_sender_that_restarts_its_rtp_clock_but_keeps_its_ssrc_and_sequence_still_gets_a_new_timeline_after_the_gap()
    {
        int reconnect = EncodedClips.FirstKeyframeFrom(clips.Vp8, 2 * EncodedClips.FramesPerSecond);
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { Seed = 9, ReconnectAtFrame = reconnect, ReconnectKeepsSsrcAndSequence = true });

        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe("vp8-clock-restart.webm", [video.Track], RecordedStream.Merge(video));

        Assert.Equal(2, report.Tracks[0].Counters.Timelines);
        Assert.Equal(video.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(EncodedClips.Seconds + 2.0, probe.Duration, FrameSeconds);
    }
}
