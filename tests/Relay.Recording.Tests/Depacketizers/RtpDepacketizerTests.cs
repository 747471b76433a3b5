using Relay.Media.Streams;
using Relay.Recording.Depacketizers;
using Relay.Recording.Tests.Export;
using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Depacketizers;

[Collection(EncodedClipsGroup.Name)]
public sealed class RtpDepacketizerTests(EncodedClips clips)
{
    private static readonly RecordedTrack s_vp8 = new(0, MediaTrackKind.Video, MediaCodec.Vp8, 90000, 96, 0, null);

    [Fact]
    public void Every_vp8_frame_of_the_clip_comes_back_byte_for_byte_with_its_keyframe_flag()
    {
        RecordedStream stream = RecordedStream.Vp8(0, clips.Vp8, new SendPlan { ReorderRate = 0.1 });

        List<DepacketizedFrame> frames = Depacketize(stream.Track, stream.Packets, out _);

        Assert.Equal(clips.Vp8.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(clips.Vp8[i].Data.AsSpan().SequenceEqual(frames[i].Data.Span), $"frame {i}");
            Assert.Equal(clips.Vp8[i].IsKeyframe, frames[i].IsKeyframe);
        }
    }

    [Fact]
    public void Every_h264_access_unit_of_the_clip_comes_back_as_length_prefixed_nal_units()
    {
        RecordedStream stream = RecordedStream.H264(0, clips.H264, new SendPlan { ReorderRate = 0.1 });

        List<DepacketizedFrame> frames = Depacketize(stream.Track, stream.Packets, out RtpDepacketizer depacketizer);

        Assert.Equal(clips.H264.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(clips.H264[i].Data.AsSpan().SequenceEqual(frames[i].Data.Span), $"access unit {i}");
            Assert.Equal(clips.H264[i].IsKeyframe, frames[i].IsKeyframe);
        }

        Assert.Equal(7, depacketizer.SequenceParameterSet![0] & 0x1F);
        Assert.Equal(8, depacketizer.PictureParameterSet![0] & 0x1F);
    }

    [Fact]
    public void Every_opus_packet_comes_back_as_one_frame_with_timestamps_20_ms_apart()
    {
        RecordedStream stream = RecordedStream.Opus(0, clips.Opus, new SendPlan());

        List<DepacketizedFrame> frames = Depacketize(stream.Track, stream.Packets, out _);

        Assert.Equal(clips.Opus.Count, frames.Count);
        for (int i = 1; i < frames.Count; i++)
        {
            Assert.Equal(960, frames[i].RtpTimestamp - frames[i - 1].RtpTimestamp);
        }
    }

    [Fact]
    public void Sequence_numbers_and_timestamps_wrap_without_loss_or_a_jump_in_time()
    {
        var depacketizer = new RtpDepacketizer(s_vp8);
        byte[] keyframe = Vp8Keyframe();
        for (int i = 0; i < 10; i++)
        {
            ushort sequence = unchecked((ushort)(65530 + i));
            uint timestamp = unchecked(uint.MaxValue - 9000 + (uint)(i * 3000));
            depacketizer.PushRtp(i * 33_000, RtpPacketizer.Rtp(96, true, sequence, timestamp, 42, RtpPacketizer.Vp8(keyframe, i)[0].Payload));
        }

        depacketizer.Complete();
        List<DepacketizedFrame> frames = Drain(depacketizer);

        Assert.Equal(10, frames.Count);
        Assert.Equal(0, depacketizer.Counters.LostPackets);
        Assert.Equal(1, depacketizer.Counters.Timelines);
        for (int i = 1; i < frames.Count; i++)
        {
            Assert.Equal(3000, frames[i].RtpTimestamp - frames[i - 1].RtpTimestamp);
        }
    }

    [Fact]
    public void A_packet_from_before_a_sequence_wrap_that_overtakes_the_first_is_put_in_front_of_it()
    {
        // Sequence 65535 sent first, 0 and 1 after; 0 arrives first, so 65535 unwraps below zero.
        var depacketizer = new RtpDepacketizer(s_vp8);
        byte[] keyframe = Vp8Keyframe();
        depacketizer.PushRtp(0, RtpPacketizer.Rtp(96, true, 0, 3000, 42, RtpPacketizer.Vp8(keyframe, 1)[0].Payload));
        depacketizer.PushRtp(1, RtpPacketizer.Rtp(96, true, 65535, 0, 42, RtpPacketizer.Vp8(keyframe, 0)[0].Payload));
        depacketizer.PushRtp(2, RtpPacketizer.Rtp(96, true, 1, 6000, 42, RtpPacketizer.Vp8(keyframe, 2)[0].Payload));
        depacketizer.Complete();

        List<DepacketizedFrame> frames = Drain(depacketizer);

        Assert.Equal([0L, 3000L, 6000L], frames.Select(f => f.RtpTimestamp - frames[0].RtpTimestamp));
        Assert.Equal(0, depacketizer.Counters.LatePackets);
        Assert.Equal(0, depacketizer.Counters.LostPackets);
    }

    [Fact]
    public void A_lost_packet_drops_its_frame_and_the_frames_after_it_until_the_next_keyframe()
    {
        RecordedStream stream = RecordedStream.Vp8(0, clips.Vp8, new SendPlan());
        int target = EncodedClips.FirstKeyframeFrom(clips.Vp8, 1);
        int nextKeyframe = EncodedClips.FirstKeyframeFrom(clips.Vp8, target + 1);

        // Drop the second packet of a keyframe: it and the delta frames up to the next keyframe cannot be decoded.
        long timestamp = FrameTimestamp(stream.Packets, target);
        List<RecordedPacket> packets = [.. stream.Packets];
        int first = packets.FindIndex(p => Timestamp(p) == timestamp);
        Assert.Equal(timestamp, Timestamp(packets[first + 2]));
        packets.RemoveAt(first + 1);

        List<DepacketizedFrame> frames = Depacketize(stream.Track, packets, out RtpDepacketizer depacketizer);

        Assert.Equal(clips.Vp8.Count - (nextKeyframe - target), frames.Count);
        Assert.Equal(1, depacketizer.Counters.LostPackets);
        Assert.Equal(1, depacketizer.Counters.IncompleteFrames);
        Assert.Equal(nextKeyframe - target - 1, depacketizer.Counters.FramesAwaitingKeyframe);
    }

    [Fact]
    public void Duplicates_are_counted_and_written_once()
    {
        RecordedStream stream = RecordedStream.Vp8(0, clips.Vp8, new SendPlan());
        List<RecordedPacket> packets = [.. stream.Packets.SelectMany(p => new[] { p, p })];

        List<DepacketizedFrame> frames = Depacketize(stream.Track, packets, out RtpDepacketizer depacketizer);

        Assert.Equal(clips.Vp8.Count, frames.Count);
        Assert.Equal(stream.Packets.Count, depacketizer.Counters.DuplicatePackets);
    }

    [Fact]
    public void A_single_stray_packet_with_another_ssrc_does_not_start_a_new_timeline()
    {
        RecordedStream stream = RecordedStream.Vp8(0, clips.Vp8, new SendPlan());
        List<RecordedPacket> packets = [.. stream.Packets];
        byte[] stray = RtpPacketizer.Rtp(96, true, 7, 7, 0xDEADBEEF, RtpPacketizer.Vp8(clips.Vp8[0].Data, 1)[0].Payload);
        packets.Insert(packets.Count / 2, new RecordedPacket(packets[packets.Count / 2].ArrivalMicroseconds, 0, RecordedPacketKind.Rtp, stray));

        List<DepacketizedFrame> frames = Depacketize(stream.Track, packets, out RtpDepacketizer depacketizer);

        Assert.Equal(clips.Vp8.Count, frames.Count);
        Assert.Equal(1, depacketizer.Counters.Timelines);
        Assert.Equal(1, depacketizer.Counters.UnconfirmedSourcePackets);
    }

    private static long FrameTimestamp(List<RecordedPacket> packets, int frame)
    {
        var timestamps = new List<long>();
        foreach (RecordedPacket packet in packets)
        {
            long timestamp = Timestamp(packet);
            if (!timestamps.Contains(timestamp))
            {
                timestamps.Add(timestamp);
            }
        }

        return timestamps[frame];
    }

    private static long Timestamp(RecordedPacket packet) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.Data.Span[4..]);

    internal static byte[] Vp8Keyframe()
    {
        // A VP8 keyframe header (RFC 6386 section 9.1): frame tag with P = 0, start code, 320x240, then some data.
        byte[] frame = new byte[40];
        frame[0] = 0x50;
        frame[3] = 0x9D;
        frame[4] = 0x01;
        frame[5] = 0x2A;
        frame[6] = 0x40;
        frame[7] = 0x01;
        frame[8] = 0xF0;
        return frame;
    }

    internal static List<DepacketizedFrame> Depacketize(RecordedTrack track, IEnumerable<RecordedPacket> packets, out RtpDepacketizer depacketizer)
    {
        depacketizer = new RtpDepacketizer(track);
        var frames = new List<DepacketizedFrame>();
        foreach (RecordedPacket packet in packets)
        {
            if (packet.Kind == RecordedPacketKind.Rtp)
            {
                depacketizer.PushRtp(packet.ArrivalMicroseconds, packet.Data.Span);
            }
            else
            {
                depacketizer.PushRtcp(packet.Data.Span);
            }

            frames.AddRange(Drain(depacketizer));
        }

        depacketizer.Complete();
        frames.AddRange(Drain(depacketizer));
        return frames;
    }

    private static List<DepacketizedFrame> Drain(RtpDepacketizer depacketizer)
    {
        var frames = new List<DepacketizedFrame>();
        while (depacketizer.TryRead(out DepacketizedFrame frame))
        {
            frames.Add(frame);
        }

        return frames;
    }
}
