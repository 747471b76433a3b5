using Relay.Media.Streams;
using Relay.Recording.Depacketizers;
using Relay.Recording.Export;
using Relay.Testing.Recording.Packetization;
using Relay.Testing;

namespace Relay.Recording.Tests.Depacketizers;

[Collection(EncodedClipsGroup.Name)]
public sealed class RtpDepacketizerHostileInputTests(EncodedClips clips)
{
    [Fact]
    public void Garbage_packets_among_a_real_stream_are_dropped_and_counted_and_every_real_frame_survives()
    {
        RecordedStream stream = RecordedStream.Vp8(0, clips.Vp8, new SendPlan());
        var random = new Random(21);
        List<RecordedPacket> packets = [];
        int garbage = 0;
        foreach (RecordedPacket packet in stream.Packets)
        {
            packets.Add(packet);
            for (int g = random.Next(3); g > 0; g--)
            {
                byte[] bytes = new byte[random.Next(0, 1500)];
                random.NextBytes(bytes);
                if (bytes.Length > 1 && random.Next(2) == 0)
                {
                    // Half look like RTP of this track: version 2 and the right payload type, random otherwise.
                    bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F));
                    bytes[1] = (byte)((bytes[1] & 0x80) | 96);
                }

                packets.Add(packet with { Data = bytes });
                garbage++;
            }
        }

        List<DepacketizedFrame> frames = RtpDepacketizerTests.Depacketize(stream.Track, packets, out RtpDepacketizer depacketizer);

        Assert.Equal(clips.Vp8.Count, frames.Count);
        DepacketizerCounters counters = depacketizer.Counters;
        Assert.Equal(stream.Packets.Count + garbage, counters.Packets);
        Assert.Equal(garbage, counters.MalformedPackets + counters.WrongPayloadType + counters.EmptyPackets + counters.UnconfirmedSourcePackets);
        Assert.Equal(1, counters.Timelines);
    }

    [Fact]
    public void Every_truncation_and_thousands_of_corruptions_of_real_h264_packets_are_dropped_without_a_throw()
    {
        RecordedStream stream = RecordedStream.H264(0, clips.H264, new SendPlan());
        var depacketizer = new RtpDepacketizer(stream.Track);
        long arrival = 0;
        foreach (RecordedPacket packet in stream.Packets.Take(40))
        {
            byte[] valid = packet.Data.ToArray();
            foreach (byte[] truncated in HostileInput.Truncations(valid))
            {
                depacketizer.PushRtp(arrival++, truncated);
            }

            foreach ((_, byte[] corrupted) in HostileInput.Corruptions(valid, seeds: 5, perSeed: 20))
            {
                depacketizer.PushRtp(arrival++, corrupted);
                depacketizer.PushRtcp(corrupted);
            }
        }

        depacketizer.Complete();
        while (depacketizer.TryRead(out _))
        {
        }

        Assert.True(depacketizer.Counters.MalformedPackets + depacketizer.Counters.EmptyPackets > 0);
    }

    [Fact]
    public void Exporting_recordings_with_corrupted_packets_never_throws()
    {
        RecordedStream video = RecordedStream.H264(0, clips.H264, new SendPlan());
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan());
        RecordedStream vp8 = RecordedStream.Vp8(2, clips.Vp8, new SendPlan());
        List<RecordedPacket> valid = RecordedStream.Merge(video, audio, vp8);
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            List<RecordedPacket> packets = [];
            foreach (RecordedPacket packet in valid)
            {
                byte[] bytes = packet.Data.ToArray();
                if (random.NextDouble() < 0.05)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    if (random.Next(4) == 0)
                    {
                        bytes = bytes[..random.Next(bytes.Length)];
                    }
                }

                packets.Add(packet with { Data = bytes });
            }

            foreach (ExportContainer container in new[] { ExportContainer.WebM, ExportContainer.Mp4 })
            {
                using var output = new MemoryStream();
                ExportReport report = new RecordingExporter().Export([video.Track, audio.Track, vp8.Track], packets, output, container);
                Assert.Equal(3, report.Tracks.Count);
            }
        }
    }

    [Fact]
    public void An_fu_a_cut_short_drops_that_access_unit_and_the_frames_after_it_until_the_next_keyframe()
    {
        RecordedStream stream = RecordedStream.H264(0, clips.H264, new SendPlan());
        List<RecordedPacket> packets = [.. stream.Packets];

        // The first keyframe's last FU-A fragment loses its E bit: the fragmented unit never ends.
        int lastFragment = packets.FindIndex(p => (p.Data.Span[12] & 0x1F) == 28 && (p.Data.Span[13] & 0x40) != 0);
        byte[] cut = packets[lastFragment].Data.ToArray();
        cut[13] &= 0xBF;
        packets[lastFragment] = packets[lastFragment] with { Data = cut };

        List<DepacketizedFrame> frames = RtpDepacketizerTests.Depacketize(stream.Track, packets, out RtpDepacketizer depacketizer);

        int nextKeyframe = EncodedClips.FirstKeyframeFrom(clips.H264, 1);
        Assert.Equal(1, depacketizer.Counters.MalformedFrames);
        Assert.Equal(clips.H264.Count - nextKeyframe, frames.Count);
        Assert.True(frames[0].IsKeyframe);
    }

    [Fact]
    public void A_track_whose_packets_all_carry_another_payload_type_is_left_out_and_says_why()
    {
        RecordedStream video = RecordedStream.Vp8(0, clips.Vp8, new SendPlan());
        RecordedStream audio = RecordedStream.Opus(1, clips.Opus, new SendPlan());
        RecordedTrack wrongType = video.Track with { PayloadType = 97 };
        string path = Path.Combine(clips.Directory, "wrong-payload-type.webm");

        ExportReport report;
        using (FileStream file = File.Create(path))
        {
            report = new RecordingExporter().Export([wrongType, audio.Track], RecordedStream.Merge(video, audio), file);
        }

        ExportedTrack track = report.Tracks[0];
        Assert.False(track.Included);
        Assert.NotNull(track.Reason);
        Assert.Equal(video.Packets.Count, track.Counters.WrongPayloadType);
        ProbeResult probe = Ffmpeg.Probe(path);
        Assert.Equal(audio.FramesSent, probe.Stream("audio").Frames);
    }

    [Fact]
    public void A_frame_of_huge_size_is_dropped_and_counted_and_the_next_keyframe_plays()
    {
        var track = new RecordedTrack(0, MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 0, null);
        var depacketizer = new RtpDepacketizer(track);
        byte[] keyframe = RtpDepacketizerTests.Vp8Keyframe();
        byte[] chunk = new byte[1200];
        chunk[0] = 0x10;
        ushort sequence = 100;

        // 9000 packets of 1200 bytes in one timestamp and no marker: over both the byte and the packet limit.
        for (int i = 0; i < 9000; i++)
        {
            depacketizer.PushRtp(i, RtpPacketizer.Rtp(96, false, sequence++, 3000, 5, chunk));
        }

        depacketizer.PushRtp(9000, RtpPacketizer.Rtp(96, true, sequence++, 6000, 5, RtpPacketizer.Vp8(keyframe, 1)[0].Payload));
        depacketizer.Complete();

        Assert.Equal(1, depacketizer.Counters.OversizedFrames);
        Assert.True(depacketizer.TryRead(out DepacketizedFrame frame));
        Assert.Equal(6000, frame.RtpTimestamp);
        Assert.False(depacketizer.TryRead(out _));
    }

    [Fact]
    public void Packets_for_an_unknown_track_and_an_empty_recording_do_not_throw()
    {
        var track = new RecordedTrack(0, MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 0, null);
        using var output = new MemoryStream();

        ExportReport report = new RecordingExporter().Export([track], [new RecordedPacket(1, 9, RecordedPacketKind.Rtp, new byte[20])], output);

        Assert.Equal(1, report.UnknownTrackPackets);
        Assert.False(report.Tracks[0].Included);
        Assert.Null(report.StartTime);
    }
}
