using Relay.Recording.Export;
using Relay.Recording.Tests.Export.Baseline;
using Relay.Recording.Tests.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>
/// The streaming exporter (issue 5) writes exactly the bytes the in-memory exporter it replaced wrote
/// (<see cref="InMemoryRecordingExporter"/>), for every kind of recording the export tests make: clean,
/// lossy and reordered, a publisher reconnect, sender-report sync, late audio, hostile packets.
/// </summary>
[Collection(EncodedClipsGroup.Name)]
public sealed class StreamingExportTests(EncodedClips clips)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "vp8", "clean" }, { "vp8", "lossy" }, { "vp8", "reconnect" }, { "vp8", "sender-reports" }, { "vp8", "late-audio" }, { "vp8", "same-ssrc-restart" },
        { "h264", "clean" }, { "h264", "lossy" }, { "h264", "reconnect" }, { "h264", "sender-reports" }, { "h264", "late-audio" }, { "h264", "same-ssrc-restart" },
        { "opus", "clean" }, { "opus", "reconnect" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_streaming_export_writes_the_same_bytes_and_report_as_the_in_memory_one(string codec, string kind)
    {
        (RecordedTrack[] tracks, List<RecordedPacket> packets) = Recording(codec, kind);

        (byte[] expected, ExportReport expectedReport) = ExportWith(new InMemoryRecordingExporter(), tracks, packets);
        (byte[] actual, ExportReport actualReport) = ExportWith(new RecordingExporter(), tracks, packets);

        Assert.True(expected.Length > 1000);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedReport.Duration, actualReport.Duration);
        Assert.Equal(expectedReport.StartTime, actualReport.StartTime);
        Assert.Equal(expectedReport.UnknownTrackPackets, actualReport.UnknownTrackPackets);
        Assert.Equal(expectedReport.Tracks.Count, actualReport.Tracks.Count);
        for (int i = 0; i < expectedReport.Tracks.Count; i++)
        {
            ExportedTrack e = expectedReport.Tracks[i];
            ExportedTrack a = actualReport.Tracks[i];
            Assert.Equal((e.TrackIndex, e.Included, e.Reason, e.Frames, e.Start, e.Duration, e.Width, e.Height), (a.TrackIndex, a.Included, a.Reason, a.Frames, a.Start, a.Duration, a.Width, a.Height));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(e.Counters), System.Text.Json.JsonSerializer.Serialize(a.Counters));
            Assert.Equal(e.Timelines.Count, a.Timelines.Count);
        }
    }

    [Fact]
    public void Packets_that_change_between_the_passes_are_an_error_not_a_wrong_file()
    {
        (RecordedTrack[] tracks, List<RecordedPacket> packets) = Recording("vp8", "clean");
        int reads = 0;
        IEnumerable<RecordedPacket> Changing()
        {
            // The second pass sees the recording cut in half: fewer frames than the first counted.
            reads++;
            return reads == 1 ? packets : packets.Take(packets.Count / 2);
        }

        using var output = new MemoryStream();
        Assert.Throws<InvalidDataException>(() => new RecordingExporter().Export(tracks, new Reenumerable(Changing), output));
    }

    private static (byte[] Bytes, ExportReport Report) ExportWith(IRecordingExporter exporter, RecordedTrack[] tracks, List<RecordedPacket> packets)
    {
        using var output = new MemoryStream();
        ExportReport report = exporter.Export(tracks, packets, output, RecordingExporter.ChooseContainer(tracks));
        return (output.ToArray(), report);
    }

    private (RecordedTrack[] Tracks, List<RecordedPacket> Packets) Recording(string codec, string kind)
    {
        Func<IReadOnlyList<EncodedFrame>, SendPlan, RecordedStream>? video = codec switch
        {
            "vp8" => static (f, p) => RecordedStream.Vp8(0, f, p),
            "h264" => static (f, p) => RecordedStream.H264(0, f, p),
            _ => null,
        };
        IReadOnlyList<EncodedFrame> frames = codec == "h264" ? clips.H264 : clips.Vp8;
        int reconnect = EncodedClips.FirstKeyframeFrom(frames, 2 * EncodedClips.FramesPerSecond);
        int audioReconnect = (int)Math.Round(frames[reconnect].Seconds / 0.020);
        (SendPlan Video, SendPlan Audio) plans = kind switch
        {
            "clean" => (new SendPlan { Seed = 21 }, new SendPlan { Seed = 22 }),
            "lossy" => (new SendPlan { Seed = 23, LossRate = 0.05, LossUntilSeconds = 2.0, ReorderRate = 0.05 }, new SendPlan { Seed = 24, LossRate = 0.05, ReorderRate = 0.05 }),
            "reconnect" => (new SendPlan { Seed = 25, ReconnectAtFrame = reconnect, ReorderRate = 0.03 }, new SendPlan { Seed = 26, ReconnectAtFrame = audioReconnect }),
            "sender-reports" => (new SendPlan { Seed = 27, SenderReports = true }, new SendPlan { Seed = 28, SenderReports = true, DelaySeconds = 0.180 }),
            "late-audio" => (new SendPlan { Seed = 29 }, new SendPlan { Seed = 30, DelaySeconds = 0.400, JitterSeconds = 0.100 }),
            "same-ssrc-restart" => (new SendPlan { Seed = 31, ReconnectAtFrame = reconnect, ReconnectKeepsSsrcAndSequence = true, ReconnectGapSeconds = 12 }, new SendPlan { Seed = 32 }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such recording"),
        };

        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, plans.Audio);
        if (video is null)
        {
            return ([audio.Track], RecordedStream.Merge(audio));
        }

        RecordedStream picture = video(frames, plans.Video);
        List<RecordedPacket> packets = RecordedStream.Merge(picture, audio);

        // A packet of a track the recording does not have, and one of an unknown kind, counted and skipped.
        packets.Insert(packets.Count / 2, new RecordedPacket(packets[packets.Count / 2].ArrivalMicroseconds, 7, RecordedPacketKind.Rtp, new byte[20]));
        return ([picture.Track, audio.Track], packets);
    }

    private sealed class Reenumerable(Func<IEnumerable<RecordedPacket>> read) : IEnumerable<RecordedPacket>
    {
        public IEnumerator<RecordedPacket> GetEnumerator() => read().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
