using Relay.Media.Streams;
using Relay.Recording.Depacketizers;

namespace Relay.Recording.Export;

/// <summary>
/// One track's frames as <see cref="TimelinePlacement"/> needs them, kept without their data: per run
/// (the frames of one <see cref="RtpTimeline"/>) its first frame, first RTP timestamp, least delayed
/// start and span, and the track's usual frame interval. The first pass over a recording
/// <see cref="Observe"/>s every frame; once the runs are placed, the second pass gives each frame its
/// time with <see cref="Place"/>, in the same order.
/// </summary>
/// <remarks>
/// What is kept grows with the publisher's reconnects, not with the recording's length (issue 5: an
/// hour of video is about 1 GB and must not be held).
/// </remarks>
internal sealed class TrackTimeline
{
    private const long DefaultVideoFrameMicroseconds = 33_333;
    private const long DefaultAudioFrameMicroseconds = 20_000;

    /// <summary>Frame spacings sampled for the usual frame interval (the median of the first ones).</summary>
    private const int DurationSamples = 1000;

    private readonly List<Run> _runs = [];
    private readonly List<long> _deltas = [];
    private readonly int _clock;
    private long _previousTimestamp;
    private int _previousTimeline = -1;
    private Run? _current;

    private int _placeRun;
    private long _placed;
    private long _lastTime = long.MinValue;

    public TrackTimeline(RtpDepacketizer depacketizer)
    {
        ArgumentNullException.ThrowIfNull(depacketizer);
        Depacketizer = depacketizer;
        _clock = Math.Max(1, depacketizer.Track.ClockRate);
    }

    /// <summary>The first pass's depacketizer: its counters, timelines (with sender reports) and codec setup.</summary>
    public RtpDepacketizer Depacketizer { get; }

    /// <summary>Frames observed in the first pass.</summary>
    public long FrameCount { get; private set; }

    internal IReadOnlyList<Run> Runs => _runs;

    /// <summary>First pass: takes in the track's next frame.</summary>
    public void Observe(in DepacketizedFrame frame)
    {
        if (FrameCount > 0 && _deltas.Count < DurationSamples)
        {
            long delta = frame.RtpTimestamp - _previousTimestamp;
            if (frame.Timeline == _previousTimeline && delta > 0)
            {
                _deltas.Add(Offset(delta, _clock));
            }
        }

        if (_current is null || _current.Timeline != frame.Timeline)
        {
            _current = new Run(frame.Timeline, FrameCount, frame.RtpTimestamp, _clock);
            _runs.Add(_current);
        }

        long offset = Offset(frame.RtpTimestamp - _current.FirstTimestamp, _clock);
        _current.ArrivalStart = Math.Min(_current.ArrivalStart, frame.ArrivalMicroseconds - offset);
        _current.Span = Math.Max(_current.Span, offset);
        _current.End = FrameCount + 1;
        _previousTimestamp = frame.RtpTimestamp;
        _previousTimeline = frame.Timeline;
        FrameCount++;
    }

    /// <summary>The median spacing of consecutive frames within a timeline: how long the last frame lasts.</summary>
    public long TypicalFrameDuration()
    {
        if (_deltas.Count == 0)
        {
            return Depacketizer.Track.Codec == MediaCodec.Opus ? DefaultAudioFrameMicroseconds : DefaultVideoFrameMicroseconds;
        }

        var sorted = new List<long>(_deltas);
        sorted.Sort();
        return sorted[sorted.Count / 2];
    }

    /// <summary>
    /// Second pass: the time of the track's next frame, in microseconds from the file's start. The frames
    /// must come in the order they were observed; one more than observed means the recording changed.
    /// </summary>
    public TimedFrame Place(in DepacketizedFrame frame, long originMicroseconds)
    {
        if (_placed >= FrameCount)
        {
            throw new InvalidDataException("The recording gave more frames on the second pass than on the first: it changed while it was exported.");
        }

        while (_placed >= _runs[_placeRun].End)
        {
            _placeRun++;
        }

        Run run = _runs[_placeRun];
        long time = run.Start + Offset(frame.RtpTimestamp - run.FirstTimestamp, _clock) - originMicroseconds;
        if (_placed > 0 && time <= _lastTime)
        {
            // Timestamps that repeat or go back (a broken sender) still need an increasing order to mux.
            time = _lastTime + 1;
        }

        _lastTime = time;
        _placed++;
        return new TimedFrame(time, frame.IsKeyframe, frame.Data);
    }

    /// <summary>Second pass done: every observed frame must have been placed.</summary>
    public void EndPlacing()
    {
        if (_placed != FrameCount)
        {
            throw new InvalidDataException($"The recording gave {_placed} frames on the second pass and {FrameCount} on the first: it changed while it was exported.");
        }
    }

    internal static long Offset(long ticks, int clock) => (long)Math.Round(ticks * 1_000_000.0 / clock);

    /// <summary>The frames of one timeline: [<see cref="First"/>, <see cref="End"/>) in the track's frame order.</summary>
    internal sealed class Run(int timeline, long first, long firstTimestamp, int clock)
    {
        public int Timeline { get; } = timeline;

        public long First { get; } = first;

        public long End { get; set; }

        public long FirstTimestamp { get; } = firstTimestamp;

        public int Clock { get; } = clock;

        /// <summary>The earliest (arrival - RTP offset) over the run's frames.</summary>
        public long ArrivalStart { get; set; } = long.MaxValue;

        /// <summary>The largest RTP offset from the first frame.</summary>
        public long Span { get; set; }

        public long? SenderStart { get; set; }

        public long Start { get; set; }
    }
}
