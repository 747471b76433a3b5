using Relay.Media.Streams;

namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>
/// Writes H.264 (and Opus) tracks as an MP4 (ISO/IEC 14496-12 and -15; Opus per the "Encapsulation of
/// Opus in ISO Base Media File Format" spec) to a seekable stream.
/// </summary>
/// <remarks>
/// <code>
/// ftyp  isom, compatible iso2 avc1 mp41
/// mdat  (64-bit size) the frames interleaved in time order
/// moov  mvhd (1 ms timescale)
///       trak  tkhd, edts/elst (an empty edit places a track that starts later), mdia
///             mdia  mdhd (the RTP clock rate as timescale), hdlr (vide/soun), minf
///                   minf  vmhd/smhd, dinf/dref, stbl
///                         stbl  stsd (avc1 + avcC | Opus + dOps), stts, stss (video), stsc, stsz, stco or co64
/// </code>
/// Each sample is its own chunk. Sample durations come from the placed times, so the frame before a
/// reconnect gap lasts across the gap and wall-clock spacing is kept. moov goes after mdat: the frames
/// are written as they are placed and the tables once they are known.
/// </remarks>
internal sealed class Mp4Writer
{
    private const uint MovieTimescale = 1000;

    private static readonly DateTimeOffset s_mp4Epoch = new(1904, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Write(Stream output, IReadOnlyList<MuxTrack> tracks, long durationMicroseconds, DateTimeOffset? startTime, string writingApp)
    {
        long fileStart = output.Position;
        using var buffer = new Mp4Buffer();
        buffer.Begin("ftyp");
        buffer.WriteAscii("isom");
        buffer.WriteUInt32(0x200);
        buffer.WriteAscii("isom");
        buffer.WriteAscii("iso2");
        buffer.WriteAscii("avc1");
        buffer.WriteAscii("mp41");
        buffer.End();

        // mdat with a 64-bit size (size field 1, then largesize), patched once the frames are in.
        long mdatAt = fileStart + buffer.Length;
        buffer.WriteUInt32(1);
        buffer.WriteAscii("mdat");
        buffer.WriteUInt64(0);
        buffer.CopyTo(output);

        var offsets = new List<long>[tracks.Count];
        var index = new Dictionary<MuxTrack, int>();
        for (int i = 0; i < tracks.Count; i++)
        {
            offsets[i] = new List<long>(tracks[i].Frames.Count);
            index[tracks[i]] = i;
        }

        foreach ((MuxTrack track, TimedFrame frame) in Interleave.ByTime(tracks))
        {
            offsets[index[track]].Add(output.Position - fileStart);
            output.Write(frame.Data.Span);
        }

        long mdatEnd = output.Position;
        output.Position = mdatAt + 8;
        Span<byte> size = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(size, (ulong)(mdatEnd - mdatAt));
        output.Write(size);
        output.Position = mdatEnd;

        ulong created = startTime is { } start ? (ulong)Math.Max(0, (long)(start - s_mp4Epoch).TotalSeconds) : 0;
        using var moov = new Mp4Buffer();
        moov.Begin("moov");
        moov.BeginFull("mvhd", 1, 0);
        moov.WriteUInt64(created);
        moov.WriteUInt64(created);
        moov.WriteUInt32(MovieTimescale);
        moov.WriteUInt64((ulong)ToScale(durationMicroseconds, MovieTimescale));
        moov.WriteUInt32(0x00010000);
        moov.WriteUInt16(0x0100);
        moov.WriteZeros(10);
        moov.WriteUnityMatrix();
        moov.WriteZeros(24);
        moov.WriteUInt32((uint)tracks.Count + 1);
        moov.End();
        for (int i = 0; i < tracks.Count; i++)
        {
            WriteTrack(moov, tracks[i], offsets[i], created, writingApp);
        }

        moov.End();
        moov.CopyTo(output);
    }

    private static long ToScale(long microseconds, long timescale) => (long)Math.Round(microseconds * (double)timescale / 1_000_000);

    private static void WriteTrack(Mp4Buffer moov, MuxTrack track, List<long> offsets, ulong created, string writingApp)
    {
        uint timescale = (uint)track.Source.ClockRate;
        List<TimedFrame> frames = track.Frames;
        long first = track.StartMicroseconds;

        // Durations in the track's clock: differences of the placed times (at least one tick), the last
        // frame lasting the track's usual interval.
        long[] durations = new long[frames.Count];
        long mediaDuration = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            long thisTick = ToScale(frames[i].TimeMicroseconds - first, timescale);
            long nextTick = i + 1 < frames.Count
                ? ToScale(frames[i + 1].TimeMicroseconds - first, timescale)
                : thisTick + Math.Max(1, ToScale(track.FrameDurationMicroseconds, timescale));
            durations[i] = Math.Max(1, nextTick - thisTick);
            mediaDuration += durations[i];
        }

        long offsetMs = ToScale(first, MovieTimescale);
        long mediaMs = ToScale(mediaDuration * 1_000_000 / timescale, MovieTimescale);

        moov.Begin("trak");
        moov.BeginFull("tkhd", 1, 0x3);
        moov.WriteUInt64(created);
        moov.WriteUInt64(created);
        moov.WriteUInt32((uint)track.Number);
        moov.WriteUInt32(0);
        moov.WriteUInt64((ulong)(offsetMs + mediaMs));
        moov.WriteZeros(8);
        moov.WriteUInt16(0);
        moov.WriteUInt16(track.IsVideo ? 0 : 1);
        moov.WriteUInt16(track.IsVideo ? 0 : 0x0100);
        moov.WriteUInt16(0);
        moov.WriteUnityMatrix();
        moov.WriteUInt32(track.IsVideo ? (uint)track.Width << 16 : 0);
        moov.WriteUInt32(track.IsVideo ? (uint)track.Height << 16 : 0);
        moov.End();

        moov.Begin("edts");
        moov.BeginFull("elst", 1, 0);
        moov.WriteUInt32(offsetMs > 0 ? 2u : 1u);
        if (offsetMs > 0)
        {
            moov.WriteUInt64((ulong)offsetMs);
            moov.WriteUInt64(ulong.MaxValue);
            moov.WriteUInt32(0x00010000);
        }

        moov.WriteUInt64((ulong)mediaMs);
        moov.WriteUInt64(0);
        moov.WriteUInt32(0x00010000);
        moov.End();
        moov.End();

        moov.Begin("mdia");
        moov.BeginFull("mdhd", 1, 0);
        moov.WriteUInt64(created);
        moov.WriteUInt64(created);
        moov.WriteUInt32(timescale);
        moov.WriteUInt64((ulong)mediaDuration);
        moov.WriteUInt16(0x55C4);
        moov.WriteUInt16(0);
        moov.End();

        moov.BeginFull("hdlr", 0, 0);
        moov.WriteUInt32(0);
        moov.WriteAscii(track.IsVideo ? "vide" : "soun");
        moov.WriteZeros(12);
        moov.WriteAscii(track.IsVideo ? "VideoHandler" : "SoundHandler");
        moov.WriteByte(0);
        moov.End();

        moov.Begin("minf");
        if (track.IsVideo)
        {
            moov.BeginFull("vmhd", 0, 1);
            moov.WriteZeros(8);
            moov.End();
        }
        else
        {
            moov.BeginFull("smhd", 0, 0);
            moov.WriteZeros(4);
            moov.End();
        }

        moov.Begin("dinf");
        moov.BeginFull("dref", 0, 0);
        moov.WriteUInt32(1);
        moov.BeginFull("url ", 0, 1);
        moov.End();
        moov.End();
        moov.End();

        moov.Begin("stbl");
        moov.BeginFull("stsd", 0, 0);
        moov.WriteUInt32(1);
        if (track.Codec == MediaCodec.H264)
        {
            WriteAvc1(moov, track, writingApp);
        }
        else
        {
            WriteOpus(moov, track);
        }

        moov.End();

        WriteTimeToSample(moov, durations);
        if (track.IsVideo)
        {
            int keyframes = 0;
            foreach (TimedFrame frame in frames)
            {
                keyframes += frame.IsKeyframe ? 1 : 0;
            }

            moov.BeginFull("stss", 0, 0);
            moov.WriteUInt32((uint)keyframes);
            for (int i = 0; i < frames.Count; i++)
            {
                if (frames[i].IsKeyframe)
                {
                    moov.WriteUInt32((uint)i + 1);
                }
            }

            moov.End();
        }

        moov.BeginFull("stsc", 0, 0);
        moov.WriteUInt32(1);
        moov.WriteUInt32(1);
        moov.WriteUInt32(1);
        moov.WriteUInt32(1);
        moov.End();

        moov.BeginFull("stsz", 0, 0);
        moov.WriteUInt32(0);
        moov.WriteUInt32((uint)frames.Count);
        foreach (TimedFrame frame in frames)
        {
            moov.WriteUInt32((uint)frame.Data.Length);
        }

        moov.End();

        bool large = offsets.Count > 0 && offsets[^1] > uint.MaxValue;
        moov.BeginFull(large ? "co64" : "stco", 0, 0);
        moov.WriteUInt32((uint)offsets.Count);
        foreach (long offset in offsets)
        {
            if (large)
            {
                moov.WriteUInt64((ulong)offset);
            }
            else
            {
                moov.WriteUInt32((uint)offset);
            }
        }

        moov.End();
        moov.End();
        moov.End();
        moov.End();
        moov.End();
    }

    private static void WriteTimeToSample(Mp4Buffer moov, long[] durations)
    {
        var runs = new List<(uint Count, uint Delta)>();
        foreach (long duration in durations)
        {
            uint delta = (uint)Math.Min(duration, uint.MaxValue);
            if (runs.Count > 0 && runs[^1].Delta == delta)
            {
                runs[^1] = (runs[^1].Count + 1, delta);
            }
            else
            {
                runs.Add((1, delta));
            }
        }

        moov.BeginFull("stts", 0, 0);
        moov.WriteUInt32((uint)runs.Count);
        foreach ((uint count, uint delta) in runs)
        {
            moov.WriteUInt32(count);
            moov.WriteUInt32(delta);
        }

        moov.End();
    }

    private static void WriteAvc1(Mp4Buffer moov, MuxTrack track, string writingApp)
    {
        byte[] sps = track.SpsBytes!;
        byte[] pps = track.PpsBytes!;
        moov.Begin("avc1");
        moov.WriteZeros(6);
        moov.WriteUInt16(1);
        moov.WriteZeros(16);
        moov.WriteUInt16(track.Width);
        moov.WriteUInt16(track.Height);
        moov.WriteUInt32(0x00480000);
        moov.WriteUInt32(0x00480000);
        moov.WriteUInt32(0);
        moov.WriteUInt16(1);
        byte[] name = new byte[32];
        int nameLength = Math.Min(31, writingApp.Length);
        name[0] = (byte)nameLength;
        System.Text.Encoding.ASCII.GetBytes(writingApp.AsSpan(0, nameLength), name.AsSpan(1));
        moov.WriteBytes(name);
        moov.WriteUInt16(0x0018);
        moov.WriteUInt16(0xFFFF);

        // AVCDecoderConfigurationRecord (ISO/IEC 14496-15 section 5.3.3.1), 4-byte NAL lengths.
        moov.Begin("avcC");
        moov.WriteByte(1);
        moov.WriteByte(track.Sps.Profile);
        moov.WriteByte(track.Sps.Compatibility);
        moov.WriteByte(track.Sps.Level);
        moov.WriteByte(0xFF);
        moov.WriteByte(0xE1);
        moov.WriteUInt16(sps.Length);
        moov.WriteBytes(sps);
        moov.WriteByte(1);
        moov.WriteUInt16(pps.Length);
        moov.WriteBytes(pps);
        moov.End();
        moov.End();
    }

    private static void WriteOpus(Mp4Buffer moov, MuxTrack track)
    {
        moov.Begin("Opus");
        moov.WriteZeros(6);
        moov.WriteUInt16(1);
        moov.WriteZeros(8);
        moov.WriteUInt16(track.Channels);
        moov.WriteUInt16(16);
        moov.WriteUInt16(0);
        moov.WriteUInt16(0);
        moov.WriteUInt32(48000u << 16);

        // OpusSpecificBox: the OpusHead fields, big-endian, without the magic.
        moov.Begin("dOps");
        moov.WriteByte(0);
        moov.WriteByte((byte)track.Channels);
        moov.WriteUInt16(0);
        moov.WriteUInt32(48000);
        moov.WriteUInt16(0);
        moov.WriteByte(0);
        moov.End();
        moov.End();
    }
}
