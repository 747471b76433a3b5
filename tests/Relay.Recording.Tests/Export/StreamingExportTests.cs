using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>
/// What the streaming exporter (issue 5) must keep true because it reads the packets more than once: a
/// first pass to place the timelines, then one pass per track to write. The same recording exports to
/// the same bytes every time, the passes agree (an unknown track's packet is counted once; packets that
/// change between passes are an error), and the recordings the other export tests do not make (audio
/// that arrives late and jittered, an H.264 clock restart that keeps its SSRC after a long gap, Opus
/// alone) come out with every frame and the right timeline. The clean, lossy, reconnecting and
/// sender-report recordings are checked in <see cref="PlayableExportTests"/>, the VP8 clock restart in
/// <see cref="WebMExportTests"/>.
/// </summary>
[Collection(EncodedClipsGroup.Name)]
public sealed class StreamingExportTests(EncodedClips clips)
{
    private const double FrameSeconds = 1.0 / EncodedClips.FramesPerSecond;
    private const double AudioFrameSeconds = 0.020;

    public static TheoryData<string, string> Recordings => new()
    {
        { "vp8", "late-audio" }, { "h264", "late-audio" }, { "h264", "same-ssrc-restart" }, { "opus", "clean" }, { "opus", "reconnect" },
    };

    public static TheoryData<string> VideoCodecs => ["vp8", "h264"];

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Exporting_the_same_recording_twice_writes_the_same_bytes(string codec, string kind)
    {
        Case recording = Record(codec, kind);

        (byte[] first, _) = Export(recording);
        (byte[] second, _) = Export(recording);

        Assert.True(first.Length > 1000);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(VideoCodecs))]
    public void Audio_that_arrives_late_and_jittered_exports_with_every_frame_of_both_tracks_placed_by_arrival(string codec)
    {
        Case recording = Record(codec, "late-audio");

        (ExportReport report, ProbeResult probe) = ExportAndProbe(recording, codec + "-late-audio");

        // The packet of a track the recording does not have is seen on every pass but counted once.
        Assert.Equal(1, report.UnknownTrackPackets);
        Assert.Equal(recording.Video!.FramesSent, report.Tracks[0].Frames);
        Assert.Equal(recording.Audio.FramesSent, report.Tracks[1].Frames);
        Assert.Equal(recording.Video.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(recording.Audio.FramesSent, probe.Stream("audio").Frames);

        // Audio 400 ms late on the network, video 30 ms (the plans' default): the earliest arrivals place them.
        Assert.Equal(0.400 - 0.030, probe.Stream("audio").StartTime - probe.Stream("video").StartTime, 0.015);
    }

    [Fact]
    public void An_h264_sender_that_restarts_its_clock_but_keeps_its_ssrc_after_twelve_seconds_gets_a_new_timeline_and_keeps_the_gap()
    {
        Case recording = Record("h264", "same-ssrc-restart");

        (ExportReport report, ProbeResult probe) = ExportAndProbe(recording, "h264-same-ssrc-restart");

        Assert.Equal(2, report.Tracks[0].Counters.Timelines);
        Assert.Equal(recording.Video!.FramesSent, probe.Stream("video").Frames);
        Assert.Equal(recording.Audio.FramesSent, probe.Stream("audio").Frames);
        Assert.Equal(EncodedClips.Seconds + 12.0, probe.Duration, FrameSeconds);
    }

    [Theory]
    [InlineData("clean", 1, 0.0)]
    [InlineData("reconnect", 2, 2.0)]
    public void Opus_alone_exports_with_every_frame_and_its_timelines(string kind, int timelines, double gapSeconds)
    {
        Case recording = Record("opus", kind);

        (ExportReport report, ProbeResult probe) = ExportAndProbe(recording, "opus-" + kind);

        ExportedTrack track = Assert.Single(report.Tracks);
        Assert.Equal(timelines, track.Counters.Timelines);
        ProbeStream audio = Assert.Single(probe.Streams);
        Assert.Equal("opus", audio.CodecName);
        Assert.Equal(recording.Audio.FramesSent, audio.Frames);
        Assert.Equal(EncodedClips.Seconds + gapSeconds, probe.Duration, 0.07);
    }

    [Fact]
    public void Packets_that_change_between_the_passes_are_an_error_not_a_wrong_file()
    {
        Case recording = Record("vp8", "clean");
        int reads = 0;
        IEnumerable<RecordedPacket> Changing()
        {
            // The second pass sees the recording cut in half: fewer frames than the first counted.
            reads++;
            return reads == 1 ? recording.Packets : recording.Packets.Take(recording.Packets.Count / 2);
        }

        using var output = new MemoryStream();
        Assert.Throws<InvalidDataException>(() => new RecordingExporter().Export(recording.Tracks, new Reenumerable(Changing), output));
    }

    private static (byte[] Bytes, ExportReport Report) Export(Case recording)
    {
        using var output = new MemoryStream();
        ExportReport report = new RecordingExporter().Export(recording.Tracks, recording.Packets, output);
        return (output.ToArray(), report);
    }

    private (ExportReport Report, ProbeResult Probe) ExportAndProbe(Case recording, string name)
    {
        (byte[] bytes, ExportReport report) = Export(recording);
        string path = Path.Combine(clips.Directory, "streaming-" + name + (report.Container == ExportContainer.Mp4 ? ".mp4" : ".webm"));
        File.WriteAllBytes(path, bytes);
        ProbeResult probe = Ffmpeg.Probe(path);
        Ffmpeg.DecodeCleanly(path);
        return (report, probe);
    }

    private Case Record(string codec, string kind)
    {
        Func<IReadOnlyList<EncodedFrame>, SendPlan, RecordedStream>? video = codec switch
        {
            "vp8" => static (f, p) => RecordedStream.Vp8(0, f, p),
            "h264" => static (f, p) => RecordedStream.H264(0, f, p),
            _ => null,
        };
        IReadOnlyList<EncodedFrame> frames = codec == "h264" ? clips.H264 : clips.Vp8;
        int reconnect = EncodedClips.FirstKeyframeFrom(frames, 2 * EncodedClips.FramesPerSecond);
        int audioReconnect = (int)Math.Round(frames[reconnect].Seconds / AudioFrameSeconds);
        (SendPlan Video, SendPlan Audio) plans = kind switch
        {
            "clean" => (new SendPlan { Seed = 21 }, new SendPlan { Seed = 22 }),
            "reconnect" => (new SendPlan { Seed = 25, ReconnectAtFrame = reconnect, ReorderRate = 0.03 }, new SendPlan { Seed = 26, ReconnectAtFrame = audioReconnect }),
            "late-audio" => (new SendPlan { Seed = 29 }, new SendPlan { Seed = 30, DelaySeconds = 0.400, JitterSeconds = 0.100 }),
            "same-ssrc-restart" => (new SendPlan { Seed = 31, ReconnectAtFrame = reconnect, ReconnectKeepsSsrcAndSequence = true, ReconnectGapSeconds = 12 }, new SendPlan { Seed = 32 }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such recording"),
        };

        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, plans.Audio);
        if (video is null)
        {
            return new Case([audio.Track], RecordedStream.Merge(audio), null, audio);
        }

        RecordedStream picture = video(frames, plans.Video);
        List<RecordedPacket> packets = RecordedStream.Merge(picture, audio);

        // A packet of a track the recording does not have, counted and skipped on every pass.
        packets.Insert(packets.Count / 2, new RecordedPacket(packets[packets.Count / 2].ArrivalMicroseconds, 7, RecordedPacketKind.Rtp, new byte[20]));
        return new Case([picture.Track, audio.Track], packets, picture, audio);
    }

    private sealed record Case(RecordedTrack[] Tracks, List<RecordedPacket> Packets, RecordedStream? Video, RecordedStream Audio);

    private sealed class Reenumerable(Func<IEnumerable<RecordedPacket>> read) : IEnumerable<RecordedPacket>
    {
        public IEnumerator<RecordedPacket> GetEnumerator() => read().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
