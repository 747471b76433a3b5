using Relay.Media.Streams;

namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>
/// Writes VP8 and Opus tracks as WebM (the Matroska subset, https://www.matroska.org/technical/elements.html;
/// EBML is RFC 8794) to a seekable stream.
/// </summary>
/// <remarks>
/// <code>
/// EBML header (DocType "webm")
/// Segment
///   SeekHead   -> Info, Tracks, Cues
///   Info       TimestampScale 1 ms, Duration, DateUTC (the recording's start), muxing/writing app
///   Tracks     TrackEntry V_VP8 (PixelWidth/Height from the first keyframe)
///              TrackEntry A_OPUS (CodecPrivate OpusHead, CodecDelay 0, SeekPreRoll 80 ms)
///   Cluster*   Timestamp, SimpleBlock* (track, 16-bit relative time, keyframe flag, frame)
///   Cues       CuePoint per cluster that starts with a video keyframe (every cluster for audio only)
/// </code>
/// A cluster starts at every video keyframe and at least every 5 s, well inside the 16-bit relative
/// block time. The Segment size and the Cues position are patched in at the end.
/// </remarks>
internal sealed class WebMWriter
{
    private const uint EbmlId = 0x1A45DFA3;
    private const uint SegmentId = 0x18538067;
    private const uint SeekHeadId = 0x114D9B74;
    private const uint SeekId = 0x4DBB;
    private const uint SeekIdId = 0x53AB;
    private const uint SeekPositionId = 0x53AC;
    private const uint InfoId = 0x1549A966;
    private const uint TracksId = 0x1654AE6B;
    private const uint ClusterId = 0x1F43B675;
    private const uint CuesId = 0x1C53BB6B;
    private const long MaxClusterMilliseconds = 5000;

    private static readonly DateTimeOffset s_matroskaEpoch = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Write(Stream output, IReadOnlyList<MuxTrack> tracks, long durationMicroseconds, DateTimeOffset? startTime, string writingApp)
    {
        using var buffer = new EbmlBuffer();
        buffer.Begin(EbmlId);
        buffer.WriteUnsigned(0x4286, 1);
        buffer.WriteUnsigned(0x42F7, 1);
        buffer.WriteUnsigned(0x42F2, 4);
        buffer.WriteUnsigned(0x42F3, 8);
        buffer.WriteString(0x4282, "webm");
        buffer.WriteUnsigned(0x4287, 4);
        buffer.WriteUnsigned(0x4285, 2);
        buffer.End();
        buffer.WriteId(SegmentId);
        long segmentSizeAt = output.Position + buffer.Length;
        buffer.WriteSize(0, 8);
        long segmentDataAt = output.Position + buffer.Length;
        buffer.CopyTo(output);
        buffer.Clear();

        // SeekHead with 8-byte positions; Info and Tracks follow it directly, the Cues position comes last.
        using var info = new EbmlBuffer();
        info.Begin(InfoId);
        info.WriteUnsigned(0x2AD7B1, 1_000_000);
        info.WriteFloat(0x4489, durationMicroseconds / 1000.0);
        if (startTime is { } start)
        {
            info.WriteSigned(0x4461, (start - s_matroskaEpoch).Ticks * 100);
        }

        info.WriteString(0x4D80, writingApp);
        info.WriteString(0x5741, writingApp);
        info.End();

        using var trackEntries = new EbmlBuffer();
        WriteTracks(trackEntries, tracks);

        buffer.Begin(SeekHeadId);
        WriteSeek(buffer, InfoId, out long infoPositionAt);
        WriteSeek(buffer, TracksId, out long tracksPositionAt);
        WriteSeek(buffer, CuesId, out long cuesPositionAt);
        buffer.End();
        long seekHeadLength = buffer.Length;
        buffer.Patch(infoPositionAt, (ulong)seekHeadLength);
        buffer.Patch(tracksPositionAt, (ulong)(seekHeadLength + info.Length));
        long cuesPositionInOutput = output.Position + cuesPositionAt;
        buffer.CopyTo(output);
        info.CopyTo(output);
        trackEntries.CopyTo(output);

        var cues = new List<(long TimeMs, int Track, long ClusterPosition)>();
        WriteClusters(output, tracks, segmentDataAt, cues);

        long cuesAt = output.Position - segmentDataAt;
        buffer.Clear();
        buffer.Begin(CuesId);
        foreach ((long timeMs, int track, long clusterPosition) in cues)
        {
            buffer.Begin(0xBB);
            buffer.WriteUnsigned(0xB3, (ulong)timeMs);
            buffer.Begin(0xB7);
            buffer.WriteUnsigned(0xF7, (ulong)track);
            buffer.WriteUnsigned(0xF1, (ulong)clusterPosition);
            buffer.End();
            buffer.End();
        }

        buffer.End();
        buffer.CopyTo(output);
        long end = output.Position;

        Span<byte> bytes = stackalloc byte[8];
        output.Position = cuesPositionInOutput;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)cuesAt);
        output.Write(bytes);
        output.Position = segmentSizeAt;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)(end - segmentDataAt) | (1UL << 56));
        output.Write(bytes);
        output.Position = end;
    }

    private static void WriteSeek(EbmlBuffer buffer, uint id, out long positionAt)
    {
        buffer.Begin(SeekId);
        Span<byte> idBytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(idBytes, id);
        int skip = id > 0xFFFFFF ? 0 : id > 0xFFFF ? 1 : id > 0xFF ? 2 : 3;
        buffer.WriteBinary(SeekIdId, idBytes[skip..]);
        buffer.WriteFixedUnsigned(SeekPositionId, 0, out positionAt);
        buffer.End();
    }

    private static void WriteTracks(EbmlBuffer buffer, IReadOnlyList<MuxTrack> tracks)
    {
        buffer.Begin(TracksId);
        foreach (MuxTrack track in tracks)
        {
            buffer.Begin(0xAE);
            buffer.WriteUnsigned(0xD7, (ulong)track.Number);
            buffer.WriteUnsigned(0x73C5, (ulong)track.Number);
            buffer.WriteUnsigned(0x83, track.IsVideo ? 1UL : 2UL);
            buffer.WriteUnsigned(0x9C, 0);
            buffer.WriteString(0x22B59C, "und");
            if (track.Codec == MediaCodec.Vp8)
            {
                buffer.WriteString(0x86, "V_VP8");
                buffer.Begin(0xE0);
                buffer.WriteUnsigned(0xB0, (ulong)track.Width);
                buffer.WriteUnsigned(0xBA, (ulong)track.Height);
                buffer.End();
            }
            else
            {
                buffer.WriteString(0x86, "A_OPUS");
                buffer.WriteBinary(0x63A2, track.OpusHead());
                buffer.WriteUnsigned(0x56AA, 0);
                buffer.WriteUnsigned(0x56BB, 80_000_000);
                buffer.Begin(0xE1);
                buffer.WriteFloat(0xB5, 48000.0);
                buffer.WriteUnsigned(0x9F, (ulong)track.Channels);
                buffer.End();
            }

            buffer.End();
        }

        buffer.End();
    }

    private static void WriteClusters(Stream output, IReadOnlyList<MuxTrack> tracks, long segmentDataAt, List<(long, int, long)> cues)
    {
        bool hasVideo = false;
        foreach (MuxTrack track in tracks)
        {
            hasVideo |= track.IsVideo;
        }

        using var cluster = new EbmlBuffer();
        long clusterTime = -1;
        long clusterPosition = 0;
        Span<byte> header = stackalloc byte[4];
        foreach ((MuxTrack track, TimedFrame frame) in Interleave.ByTime(tracks))
        {
            long timeMs = (frame.TimeMicroseconds + 500) / 1000;
            bool videoKeyframe = track.IsVideo && frame.IsKeyframe;
            if (clusterTime < 0 || videoKeyframe || timeMs - clusterTime >= MaxClusterMilliseconds)
            {
                if (clusterTime >= 0)
                {
                    cluster.End();
                    cluster.CopyTo(output);
                    cluster.Clear();
                }

                clusterTime = timeMs;
                clusterPosition = output.Position - segmentDataAt;
                cluster.Begin(ClusterId);
                cluster.WriteUnsigned(0xE7, (ulong)clusterTime);
                if (videoKeyframe || !hasVideo)
                {
                    cues.Add((clusterTime, track.Number, clusterPosition));
                }
            }

            // SimpleBlock: track number (1-byte vint), 16-bit time relative to the cluster, flags, frame.
            cluster.WriteId(0xA3);
            cluster.WriteSize(4 + frame.Data.Length, 0);
            header[0] = (byte)(0x80 | track.Number);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(header[1..], (short)(timeMs - clusterTime));
            header[3] = frame.IsKeyframe ? (byte)0x80 : (byte)0x00;
            cluster.WriteRaw(header);
            cluster.WriteRaw(frame.Data.Span);
        }

        if (clusterTime >= 0)
        {
            cluster.End();
            cluster.CopyTo(output);
        }
    }
}
