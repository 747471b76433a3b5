using Relay.Media.Streams;
using Relay.Recording.Export;

namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>One track as a muxer writes it: codec setup and frames in time order.</summary>
internal sealed class MuxTrack
{
    public MuxTrack(int number, RecordedTrack source, List<TimedFrame> frames)
    {
        Number = number;
        Source = source;
        Frames = frames;
    }

    /// <summary>1-based track number in the file.</summary>
    public int Number { get; }

    public RecordedTrack Source { get; }

    public MediaCodec Codec => Source.Codec;

    public bool IsVideo => Source.Codec != MediaCodec.Opus;

    public List<TimedFrame> Frames { get; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int Channels { get; init; } = 2;

    public H264SequenceParameterSet Sps { get; init; }

    public byte[]? SpsBytes { get; init; }

    public byte[]? PpsBytes { get; init; }

    /// <summary>How long the last frame lasts: the track's usual frame interval.</summary>
    public long FrameDurationMicroseconds { get; init; }

    public long StartMicroseconds => Frames.Count == 0 ? 0 : Frames[0].TimeMicroseconds;

    public long EndMicroseconds => Frames.Count == 0 ? 0 : Frames[^1].TimeMicroseconds + FrameDurationMicroseconds;

    /// <summary>The Opus identification header (RFC 7845 section 5.1), the CodecPrivate of A_OPUS and the body of dOps.</summary>
    public byte[] OpusHead()
    {
        // RTP Opus has no pre-skip: a WebRTC receiver decodes from the first sample, and so does this file.
        byte[] head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)Channels;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48000);
        return head;
    }
}
