using Relay.Media;
using Relay.Media.Streams;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Rtp;

namespace Relay.Recording.Depacketizers;

/// <summary>
/// Rebuilds one recorded track's frames from its RTP, for export: reorders by sequence number within a
/// small window, groups packets by timestamp (video frames end at the marker bit), drops incomplete
/// frames, and for video drops everything after a loss until the next keyframe so the file decodes
/// cleanly. A new SSRC, or a sequence or timestamp jump, that confirms itself with a few packets starts a new
/// <see cref="RtpTimeline"/> (a publisher reconnect).
/// </summary>
/// <remarks>
/// Offline work over a recording, not the live packet path: frames are copied into their own arrays.
/// Every bad input is counted in <see cref="Counters"/> and dropped; nothing here throws on input.
/// A source "confirms" itself as RFC 3550 appendix A.1 probation does: a stray packet with another
/// SSRC (or a wild sequence number) must be followed by more of its kind before the current timeline
/// is closed for it, so one garbage packet cannot cut a recording in two.
/// </remarks>
public sealed class RtpDepacketizer
{
    /// <summary>Packets held for reordering: a packet later than this many sequence numbers is lost. A power of two.</summary>
    public const int ReorderWindow = 64;

    /// <summary>Largest frame kept (a 4K keyframe is well under this); bigger ones are dropped and counted.</summary>
    public const int MaxFrameBytes = 8 * 1024 * 1024;

    /// <summary>Most packets one frame may span.</summary>
    public const int MaxPacketsPerFrame = 8192;

    /// <summary>A sequence number this far from the last is not the same run (a reconnect that kept its SSRC).</summary>
    private const int SequenceJump = 3000;

    /// <summary>RTP time this far from arrival time since the last packet is a new clock, not the same run.</summary>
    private const long TimestampJumpMicroseconds = 10_000_000;

    /// <summary>Packets held at a timeline's start before any is released, for reordering around the first.</summary>
    private const int WarmupPackets = 8;

    /// <summary>Packets a new source needs before it replaces the current one.</summary>
    private const int ProbationPackets = 3;

    private readonly RecordedTrack _track;
    private readonly IFrameAssembler _assembler;
    private readonly bool _isVideo;
    private readonly Buffered?[] _ring = new Buffered?[ReorderWindow];
    private readonly long[] _released = new long[ReorderWindow];
    private readonly List<byte[]> _framePayloads = [];
    private readonly Queue<DepacketizedFrame> _ready = new();
    private readonly List<RtpTimeline> _timelines = [];
    private readonly List<(long Arrival, byte[] Packet)> _candidate = [];
    private uint _candidateSsrc;
    private ushort _candidateLastSequence;

    private RtpTimeline? _timeline;
    private SequenceNumberUnwrapper _sequence;
    private TimestampUnwrapper _timestamp;
    private long _nextSequence;
    private long _highestSequence;
    private bool _started;
    private int _warmup;
    private long _lastTimestamp;
    private long _lastArrival;

    private long _frameTimestamp;
    private long _frameArrival;
    private int _frameBytes;
    private int _framePackets;
    private bool _frameCorrupt;
    private bool _frameMarker;
    private bool _needKeyframe;
    private bool _lossPending;

    public RtpDepacketizer(RecordedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        _track = track;
        _isVideo = track.Codec != MediaCodec.Opus;
        Array.Fill(_released, long.MinValue);
        _assembler = track.Codec switch
        {
            MediaCodec.Vp8 => new Vp8FrameAssembler(),
            MediaCodec.H264 => new H264FrameAssembler(),
            MediaCodec.Opus => new OpusFrameAssembler(),
            _ => throw new ArgumentException($"No depacketizer for codec {track.Codec}.", nameof(track)),
        };
    }

    public RecordedTrack Track => _track;

    public DepacketizerCounters Counters { get; } = new();

    /// <summary>The timelines (publisher connections) seen so far, in order.</summary>
    public IReadOnlyList<RtpTimeline> Timelines => _timelines;

    /// <summary>VP8: the first keyframe's width, else 0.</summary>
    public int Width => _assembler is Vp8FrameAssembler vp8 ? vp8.Width : 0;

    /// <summary>VP8: the first keyframe's height, else 0.</summary>
    public int Height => _assembler is Vp8FrameAssembler vp8 ? vp8.Height : 0;

    /// <summary>H.264: the first sequence parameter set seen, or null.</summary>
    public byte[]? SequenceParameterSet => (_assembler as H264FrameAssembler)?.SequenceParameterSet;

    /// <summary>H.264: the first picture parameter set seen, or null.</summary>
    public byte[]? PictureParameterSet => (_assembler as H264FrameAssembler)?.PictureParameterSet;

    /// <summary>Takes in one recorded RTP packet (decrypted, as received).</summary>
    public void PushRtp(long arrivalMicroseconds, ReadOnlySpan<byte> packet)
    {
        Counters.Packets++;
        if (!RtpPacketReader.TryRead(packet, out RtpPacketReader reader))
        {
            Counters.MalformedPackets++;
            return;
        }

        RtpHeader header = reader.Header;
        if (header.PayloadType != _track.PayloadType)
        {
            Counters.WrongPayloadType++;
            return;
        }

        if (reader.Payload.IsEmpty)
        {
            Counters.EmptyPackets++;
            return;
        }

        if (_timeline is not null && header.Ssrc == _timeline.Ssrc
            && Math.Abs(RtpArithmetic.SequenceNumberDistance((ushort)_highestSequence, header.SequenceNumber)) < SequenceJump
            && !IsTimestampJump(arrivalMicroseconds, header.Timestamp))
        {
            Accept(arrivalMicroseconds, packet, reader);
            return;
        }

        if (_timeline is null && _candidate.Count == 0)
        {
            // The first packet of the recording needs no probation: there is nothing to protect.
            StartTimeline(header.Ssrc);
            Accept(arrivalMicroseconds, packet, reader);
            return;
        }

        Probation(arrivalMicroseconds, packet, header);
    }

    /// <summary>
    /// Whether <paramref name="timestamp"/> moved away from the last accepted packet's by far more (or less)
    /// than the time between their arrivals: a sender that restarted its RTP clock but kept its SSRC.
    /// </summary>
    private bool IsTimestampJump(long arrival, uint timestamp)
    {
        if (!_timestamp.HasValue)
        {
            return false;
        }

        long mediaMicroseconds = (_timestamp.PeekUnwrap(timestamp) - _lastTimestamp) * 1_000_000 / Math.Max(1, _track.ClockRate);
        return Math.Abs(mediaMicroseconds - (arrival - _lastArrival)) > TimestampJumpMicroseconds;
    }

    /// <summary>Takes in one recorded RTCP packet (compound); sender reports map the RTP clock to the sender's wall clock.</summary>
    public void PushRtcp(ReadOnlySpan<byte> packet)
    {
        Counters.RtcpPackets++;
        var packets = new RtcpCompoundEnumerator(packet);
        while (packets.MoveNext())
        {
            if (!SenderReport.TryRead(packets.Current, out SenderReport report))
            {
                continue;
            }

            if (_timeline is not null && report.Ssrc == _timeline.Ssrc && _timestamp.HasValue)
            {
                SenderInfo info = report.SenderInfo;
                long seconds = (long)(info.NtpTimestamp >> 32);
                long fraction = (long)(((info.NtpTimestamp & 0xFFFF_FFFFUL) * 1_000_000UL) >> 32);
                _timeline.SetSenderReport((seconds * 1_000_000) + fraction, _timestamp.PeekUnwrap(info.RtpTimestamp));
            }
        }

        if (packets.IsMalformed)
        {
            Counters.MalformedRtcpPackets++;
        }
    }

    /// <summary>Ends the input: releases everything held and finishes the last frame.</summary>
    public void Complete()
    {
        Counters.UnconfirmedSourcePackets += _candidate.Count;
        _candidate.Clear();
        FlushTimeline();
    }

    /// <summary>Takes the next finished frame, if any.</summary>
    public bool TryRead(out DepacketizedFrame frame) => _ready.TryDequeue(out frame);

    private void Probation(long arrival, ReadOnlySpan<byte> packet, RtpHeader header)
    {
        bool sameCandidate = _candidate.Count > 0 && header.Ssrc == _candidateSsrc
            && Math.Abs(RtpArithmetic.SequenceNumberDistance(_candidateLastSequence, header.SequenceNumber)) < ReorderWindow;
        if (!sameCandidate)
        {
            Counters.UnconfirmedSourcePackets += _candidate.Count;
            _candidate.Clear();
            _candidateSsrc = header.Ssrc;
        }

        _candidateLastSequence = header.SequenceNumber;
        _candidate.Add((arrival, packet.ToArray()));
        if (_candidate.Count < ProbationPackets)
        {
            return;
        }

        FlushTimeline();
        StartTimeline(_candidateSsrc);
        foreach ((long candidateArrival, byte[] candidatePacket) in _candidate)
        {
            RtpPacketReader.TryRead(candidatePacket, out RtpPacketReader reader);
            Accept(candidateArrival, candidatePacket, reader);
        }

        _candidate.Clear();
    }

    private void StartTimeline(uint ssrc)
    {
        _timeline = new RtpTimeline(_timelines.Count, ssrc);
        _timelines.Add(_timeline);
        Counters.Timelines = _timelines.Count;
        _sequence.Reset();
        _timestamp.Reset();
        _started = false;
        _needKeyframe = _isVideo;
    }

    private void Accept(long arrival, ReadOnlySpan<byte> packet, RtpPacketReader reader)
    {
        RtpHeader header = reader.Header;
        long sequence = _sequence.Unwrap(header.SequenceNumber);
        long timestamp = _timestamp.Unwrap(header.Timestamp);
        _lastTimestamp = timestamp;
        _lastArrival = arrival;
        if (!_started)
        {
            _started = true;
            _nextSequence = sequence;
            _highestSequence = sequence;
            _warmup = 0;
        }

        if (sequence < _nextSequence && _warmup < WarmupPackets && _highestSequence - sequence < ReorderWindow)
        {
            // Nothing released yet: a packet sent before the first one that arrived still belongs at the front.
            _nextSequence = sequence;
        }

        if (sequence < _nextSequence)
        {
            int releasedSlot = Slot(sequence);
            if (_nextSequence - sequence <= ReorderWindow && _released[releasedSlot] == sequence)
            {
                Counters.DuplicatePackets++;
            }
            else
            {
                Counters.LatePackets++;
            }

            return;
        }

        _highestSequence = Math.Max(_highestSequence, sequence);
        while (sequence >= _nextSequence + ReorderWindow)
        {
            ReleaseNext();
        }

        int slot = Slot(sequence);
        if (_ring[slot] is not null)
        {
            Counters.DuplicatePackets++;
            return;
        }

        _ring[slot] = new Buffered(sequence, timestamp, arrival, header.Marker, reader.Payload.ToArray());
        if (_warmup < WarmupPackets)
        {
            // Hold a timeline's first packets so one that overtook the very first can still be put before it.
            _warmup++;
            return;
        }

        while (_ring[Slot(_nextSequence)] is not null)
        {
            ReleaseNext();
        }
    }

    /// <summary>
    /// The ring slot of an unwrapped sequence number. Unwrapped numbers can be negative (a packet sent
    /// before the first one to arrive, across a wrap), so this masks rather than takes a remainder.
    /// </summary>
    private static int Slot(long sequence) => (int)(sequence & (ReorderWindow - 1));

    /// <summary>Releases the slot of <see cref="_nextSequence"/>: its packet, or a loss if it is empty.</summary>
    private void ReleaseNext()
    {
        int slot = Slot(_nextSequence);
        Buffered? packet = _ring[slot];
        _ring[slot] = null;
        _released[slot] = packet is null ? long.MinValue : _nextSequence;
        _nextSequence++;
        if (packet is null)
        {
            Counters.LostPackets++;
            _lossPending = true;
            return;
        }

        Release(packet, _lossPending);
        _lossPending = false;
    }

    private void FlushTimeline()
    {
        if (_started)
        {
            while (_nextSequence <= _highestSequence)
            {
                ReleaseNext();
            }
        }

        if (_framePackets > 0)
        {
            FinishFrame();
        }

        _lossPending = false;
        _started = false;
    }

    private void Release(Buffered packet, bool lossBefore)
    {
        if (_framePackets > 0 && packet.Timestamp != _frameTimestamp)
        {
            FinishFrame();
        }

        if (lossBefore)
        {
            if (_framePackets > 0)
            {
                _frameCorrupt = true;
            }

            // A lost packet may have held a whole frame that later frames refer to.
            if (_isVideo)
            {
                _needKeyframe = true;
            }
        }

        if (_framePackets == 0)
        {
            _frameTimestamp = packet.Timestamp;
            _frameArrival = packet.Arrival;
        }

        _framePackets++;
        _frameMarker = packet.Marker;
        if (_frameBytes + packet.Payload.Length > MaxFrameBytes || _framePackets > MaxPacketsPerFrame)
        {
            if (!_frameCorrupt || _framePayloads.Count > 0)
            {
                Counters.OversizedFrames++;
            }

            _frameCorrupt = true;
            _framePayloads.Clear();
            _frameBytes = MaxFrameBytes;
        }
        else if (!_frameCorrupt)
        {
            _framePayloads.Add(packet.Payload);
            _frameBytes += packet.Payload.Length;
        }

        if (!_isVideo || packet.Marker)
        {
            FinishFrame();
        }
    }

    private void FinishFrame()
    {
        bool complete = !_frameCorrupt && (!_isVideo || _frameMarker);
        if (!complete)
        {
            if (_frameBytes < MaxFrameBytes)
            {
                Counters.IncompleteFrames++;
            }

            _needKeyframe |= _isVideo;
        }
        else if (!_assembler.TryAssemble(_framePayloads, out byte[] data, out bool keyframe))
        {
            Counters.MalformedFrames++;
            _needKeyframe |= _isVideo;
        }
        else if (_needKeyframe && !keyframe)
        {
            Counters.FramesAwaitingKeyframe++;
        }
        else
        {
            _needKeyframe = false;
            Counters.Frames++;
            _ready.Enqueue(new DepacketizedFrame(_frameTimestamp, _frameArrival, keyframe, _timeline!.Index, data));
        }

        _framePayloads.Clear();
        _framePackets = 0;
        _frameBytes = 0;
        _frameCorrupt = false;
        _frameMarker = false;
    }

    private sealed record Buffered(long Sequence, long Timestamp, long Arrival, bool Marker, byte[] Payload);
}
