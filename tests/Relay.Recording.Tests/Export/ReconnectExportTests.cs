using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>
/// A publisher that drops off and reconnects 12 s later: the new connection has a new SSRC and new random
/// bases for the RTP timestamps and sequence numbers, on the video and the audio alike. The exporter
/// keeps the gap at its wall-clock length (<see cref="TimelinePlacement"/>): the second part must play
/// 12 s after the first, every frame at the time it was sent, with ffprobe's duration and frame counts
/// matching what was sent.
/// </summary>
[Collection(EncodedClipsGroup.Name)]
public sealed class ReconnectExportTests(EncodedClips clips)
{
    private const double GapSeconds = 12.0;
    private const double AudioFrameSeconds = 0.020;

    /// <remarks>
    /// With sender reports the audio travels 150 ms longer than the video, on both connections: the
    /// reports say the two were captured together, so every frame must still play when it was sent
    /// (placed by the sender's clock, the reconnect's timelines too), not 150 ms late as arrival says.
    /// </remarks>
    [Theory]
    [InlineData("vp8", false)]
    [InlineData("vp8", true)]
    [InlineData("h264", false)]
    public void A_publisher_that_reconnects_after_twelve_seconds_with_a_new_ssrc_and_new_rtp_bases_plays_on_twelve_seconds_later(string codec, bool senderReports)
    {
        (ExportReport report, ProbeResult probe, string path, RecordedStream picture, RecordedStream audio) =
            Export(codec, senderReports, "reconnect-12s" + (senderReports ? "-sr" : string.Empty), null, null);

        AssertPlayedAsSent(report, probe, path, picture, audio);
        Assert.All(report.Tracks, t => Assert.NotEqual(t.Timelines[0].Ssrc, t.Timelines[1].Ssrc));
        Assert.Equal(senderReports, report.Tracks[0].Timelines[1].HasSenderReport);
    }

    [Fact]
    public void A_vp8_reconnect_whose_rtp_timestamps_and_sequence_numbers_wrap_soon_after_it_still_plays_on_twelve_seconds_later()
    {
        (ExportReport report, ProbeResult probe, string path, RecordedStream picture, RecordedStream audio) =
            Export("vp8", false, "reconnect-12s-wrap", uint.MaxValue - 30_000, 65_530);

        AssertPlayedAsSent(report, probe, path, picture, audio);
    }

    private static void AssertPlayedAsSent(ExportReport report, ProbeResult probe, string path, RecordedStream picture, RecordedStream audio)
    {
        Assert.All(report.Tracks, t => Assert.Equal(2, t.Counters.Timelines));
        Assert.Equal(picture.FramesSent, report.Tracks[0].Frames);
        Assert.Equal(audio.FramesSent, report.Tracks[1].Frames);
        Assert.Equal(picture.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(audio.FramesSent, probe.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds + GapSeconds, probe.Duration, 1.0 / EncodedClips.FramesPerSecond);
        PlacedTimes.AssertMatch(PlacedTimes.Expected(picture), Ffmpeg.PacketTimes(path, "video"), "video");
        PlacedTimes.AssertMatch(PlacedTimes.Expected(audio), Ffmpeg.PacketTimes(path, "audio"), "audio");
    }

    private (ExportReport Report, ProbeResult Probe, string Path, RecordedStream Picture, RecordedStream Audio) Export(
        string codec, bool senderReports, string name, uint? timestampBase, ushort? sequenceBase)
    {
        VideoCase video = VideoCase.For(codec, clips);
        int reconnect = EncodedClips.FirstKeyframeFrom(video.Frames, 2 * EncodedClips.FramesPerSecond);
        int audioReconnect = (int)Math.Round(video.Frames[reconnect].Seconds / AudioFrameSeconds);
        RecordedStream picture = video.Record(new SendPlan
        {
            Seed = video.Seed + 50,
            ReconnectAtFrame = reconnect,
            ReconnectGapSeconds = GapSeconds,
            ReconnectTimestampBase = timestampBase,
            ReconnectSequenceBase = sequenceBase,
            ReorderRate = 0.03,
            SenderReports = senderReports,
        });
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan
        {
            Seed = video.Seed + 51,
            ReconnectAtFrame = audioReconnect,
            ReconnectGapSeconds = GapSeconds,
            ReconnectTimestampBase = timestampBase,
            ReconnectSequenceBase = sequenceBase,
            ReorderRate = 0.03,
            SenderReports = senderReports,
            DelaySeconds = senderReports ? 0.180 : 0.030,
        });
        string file = video.File(name);
        (ExportReport report, ProbeResult probe) = clips.ExportAndProbe(file, [picture.Track, audio.Track], RecordedStream.Merge(picture, audio));
        return (report, probe, Path.Combine(clips.Directory, file), picture, audio);
    }
}
