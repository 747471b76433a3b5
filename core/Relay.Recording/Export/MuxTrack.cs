using Relay.Media.Streams;

namespace Relay.Recording.Export;

/// <summary>
/// One track as a muxer writes it: codec setup, and its frames in time order as a sequence made while
/// it is read (<see cref="Interleave"/> reads it once), with what was written counted as it goes.
/// </summary>
internal sealed class MuxTrack
{
    private long _lastTime;

    public MuxTrack(int number, RecordedTrack source, IEnumerable<TimedFrame> frames)
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

    /// <summary>The frames, read once.</summary>
    public IEnumerable<TimedFrame> Frames { get; }

    /// <summary>Frames written so far.</summary>
    public long FrameCount { get; private set; }

    public int Width { get; init; }

    public int Height { get; init; }

    public int Channels { get; init; } = 2;

    public H264SequenceParameterSet Sps { get; init; }

    public byte[]? SpsBytes { get; init; }

    public byte[]? PpsBytes { get; init; }

    /// <summary>How long the last frame lasts: the track's usual frame interval.</summary>
    public long FrameDurationMicroseconds { get; init; }

    /// <summary>When the first frame written plays (0 before one).</summary>
    public long StartMicroseconds { get; private set; }

    /// <summary>When the last frame written ends (0 before one).</summary>
    public long EndMicroseconds => FrameCount == 0 ? 0 : _lastTime + FrameDurationMicroseconds;

    /// <summary>Counts <paramref name="frame"/> as written.</summary>
    public void Written(in TimedFrame frame)
    {
        if (FrameCount == 0)
        {
            StartMicroseconds = frame.TimeMicroseconds;
        }

        _lastTime = frame.TimeMicroseconds;
        FrameCount++;
    }

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
