using Relay.Recording.Depacketizers;

namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>
/// Places every track's frames on one time axis, in microseconds from the file's start.
/// </summary>
/// <remarks>
/// Within a timeline (one publisher connection) frames keep their RTP spacing: time = start +
/// (timestamp - first timestamp) / clock rate. Where the timeline starts:
/// <list type="bullet">
/// <item>By arrival: the earliest of (arrival - RTP offset) over its frames, which is the least
/// delayed frame's view of when the first one was sent (jitter only ever adds delay).</item>
/// <item>With an RTCP sender report, by the sender's clock: the report maps RTP time to the sender's
/// wall clock, shared by its audio and video (RFC 3550 section 6.4.1). Sender clock and relay clock are
/// tied by the smallest (arrival - sender time) among the reported timelines that overlap in time, so
/// audio and video line up as the sender captured them even when one arrives later than the other.</item>
/// </list>
/// A reconnect's new timeline is placed the same way, so the gap keeps its wall-clock length; a
/// timeline is never placed before the end of the previous one in its track.
/// </remarks>
internal static class TimelinePlacement
{
    private const long DefaultVideoFrameMicroseconds = 33_333;
    private const long DefaultAudioFrameMicroseconds = 20_000;

    public static List<List<TimedFrame>> Place(
        List<(RtpDepacketizer Depacketizer, List<DepacketizedFrame> Frames)> tracks,
        out long originMicroseconds,
        out long[] frameDurations)
    {
        var runs = new List<Run>();
        frameDurations = new long[tracks.Count];
        for (int t = 0; t < tracks.Count; t++)
        {
            (RtpDepacketizer depacketizer, List<DepacketizedFrame> frames) = tracks[t];
            int clock = Math.Max(1, depacketizer.Track.ClockRate);
            frameDurations[t] = TypicalFrameDuration(frames, clock, depacketizer.Track.Codec == Media.Streams.MediaCodec.Opus);
            int i = 0;
            while (i < frames.Count)
            {
                int timeline = frames[i].Timeline;
                int first = i;
                long firstTimestamp = frames[i].RtpTimestamp;
                long arrivalStart = long.MaxValue;
                long lastOffset = 0;
                while (i < frames.Count && frames[i].Timeline == timeline)
                {
                    long offset = Offset(frames[i].RtpTimestamp - firstTimestamp, clock);
                    arrivalStart = Math.Min(arrivalStart, frames[i].ArrivalMicroseconds - offset);
                    lastOffset = Math.Max(lastOffset, offset);
                    i++;
                }

                RtpTimeline info = depacketizer.Timelines[timeline];
                long? senderStart = info.HasSenderReport
                    ? info.SenderReportNtpMicroseconds + Offset(firstTimestamp - info.SenderReportRtpTimestamp, clock)
                    : null;
                runs.Add(new Run(t, first, i, firstTimestamp, clock, arrivalStart, lastOffset, senderStart));
            }
        }

        foreach (Run run in runs)
        {
            run.Start = run.ArrivalStart;
            if (run.SenderStart is not long senderStart)
            {
                continue;
            }

            long tie = long.MaxValue;
            foreach (Run other in runs)
            {
                if (other.SenderStart is long otherSender
                    && other.ArrivalStart <= run.ArrivalStart + run.Span && run.ArrivalStart <= other.ArrivalStart + other.Span)
                {
                    tie = Math.Min(tie, other.ArrivalStart - otherSender);
                }
            }

            run.Start = senderStart + tie;
        }

        var placed = new List<List<TimedFrame>>(tracks.Count);
        long origin = long.MaxValue;
        for (int t = 0; t < tracks.Count; t++)
        {
            placed.Add(new List<TimedFrame>(tracks[t].Frames.Count));
            long previousEnd = long.MinValue;
            foreach (Run run in runs)
            {
                if (run.Track != t)
                {
                    continue;
                }

                run.Start = Math.Max(run.Start, previousEnd);
                previousEnd = run.Start + run.Span + frameDurations[t];
                origin = Math.Min(origin, run.Start);
            }
        }

        originMicroseconds = origin == long.MaxValue ? 0 : origin;
        foreach (Run run in runs)
        {
            List<DepacketizedFrame> frames = tracks[run.Track].Frames;
            List<TimedFrame> output = placed[run.Track];
            for (int i = run.First; i < run.End; i++)
            {
                long time = run.Start + Offset(frames[i].RtpTimestamp - run.FirstTimestamp, run.Clock) - originMicroseconds;
                if (output.Count > 0 && time <= output[^1].TimeMicroseconds)
                {
                    // Timestamps that repeat or go back (a broken sender) still need an increasing order to mux.
                    time = output[^1].TimeMicroseconds + 1;
                }

                output.Add(new TimedFrame(time, frames[i].IsKeyframe, frames[i].Data));
            }
        }

        return placed;
    }

    private static long Offset(long ticks, int clock) => (long)Math.Round(ticks * 1_000_000.0 / clock);

    /// <summary>The median spacing of consecutive frames within a timeline: how long the last frame lasts.</summary>
    private static long TypicalFrameDuration(List<DepacketizedFrame> frames, int clock, bool audio)
    {
        var deltas = new List<long>();
        for (int i = 1; i < frames.Count && deltas.Count < 1000; i++)
        {
            long delta = frames[i].RtpTimestamp - frames[i - 1].RtpTimestamp;
            if (frames[i].Timeline == frames[i - 1].Timeline && delta > 0)
            {
                deltas.Add(Offset(delta, clock));
            }
        }

        if (deltas.Count == 0)
        {
            return audio ? DefaultAudioFrameMicroseconds : DefaultVideoFrameMicroseconds;
        }

        deltas.Sort();
        return deltas[deltas.Count / 2];
    }

    private sealed class Run(int track, int first, int end, long firstTimestamp, int clock, long arrivalStart, long span, long? senderStart)
    {
        public int Track { get; } = track;

        public int First { get; } = first;

        public int End { get; } = end;

        public long FirstTimestamp { get; } = firstTimestamp;

        public int Clock { get; } = clock;

        public long ArrivalStart { get; } = arrivalStart;

        public long Span { get; } = span;

        public long? SenderStart { get; } = senderStart;

        public long Start { get; set; }
    }
}
