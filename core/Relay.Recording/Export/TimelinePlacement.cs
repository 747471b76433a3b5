using Relay.Recording.Depacketizers;

namespace Relay.Recording.Export;

/// <summary>
/// Places every track's runs on one time axis, in microseconds from the file's start, from what the
/// first pass kept of them (<see cref="TrackTimeline"/>); the second pass then times each frame.
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
    /// <summary>Sets every run's start; returns the file's time zero (the earliest start) and each track's last-frame duration.</summary>
    public static long Place(IReadOnlyList<TrackTimeline> tracks, out long[] frameDurations)
    {
        var runs = new List<TrackTimeline.Run>();
        var owners = new List<int>();
        frameDurations = new long[tracks.Count];
        for (int t = 0; t < tracks.Count; t++)
        {
            TrackTimeline track = tracks[t];
            frameDurations[t] = track.TypicalFrameDuration();
            foreach (TrackTimeline.Run run in track.Runs)
            {
                RtpTimeline info = track.Depacketizer.Timelines[run.Timeline];
                run.SenderStart = info.HasSenderReport
                    ? info.SenderReportNtpMicroseconds + TrackTimeline.Offset(run.FirstTimestamp - info.SenderReportRtpTimestamp, run.Clock)
                    : null;
                runs.Add(run);
                owners.Add(t);
            }
        }

        foreach (TrackTimeline.Run run in runs)
        {
            run.Start = run.ArrivalStart;
            if (run.SenderStart is not long senderStart)
            {
                continue;
            }

            long tie = long.MaxValue;
            foreach (TrackTimeline.Run other in runs)
            {
                if (other.SenderStart is long otherSender
                    && other.ArrivalStart <= run.ArrivalStart + run.Span && run.ArrivalStart <= other.ArrivalStart + other.Span)
                {
                    tie = Math.Min(tie, other.ArrivalStart - otherSender);
                }
            }

            run.Start = senderStart + tie;
        }

        long origin = long.MaxValue;
        for (int t = 0; t < tracks.Count; t++)
        {
            long previousEnd = long.MinValue;
            for (int r = 0; r < runs.Count; r++)
            {
                if (owners[r] != t)
                {
                    continue;
                }

                TrackTimeline.Run run = runs[r];
                run.Start = Math.Max(run.Start, previousEnd);
                previousEnd = run.Start + run.Span + frameDurations[t];
                origin = Math.Min(origin, run.Start);
            }
        }

        return origin == long.MaxValue ? 0 : origin;
    }
}
