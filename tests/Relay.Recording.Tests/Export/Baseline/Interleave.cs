namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>Merges tracks' frames into one sequence in time order (ties keep track order), as both containers interleave them.</summary>
internal static class Interleave
{
    public static IEnumerable<(MuxTrack Track, TimedFrame Frame)> ByTime(IReadOnlyList<MuxTrack> tracks)
    {
        int[] next = new int[tracks.Count];
        while (true)
        {
            int best = -1;
            for (int i = 0; i < tracks.Count; i++)
            {
                if (next[i] < tracks[i].Frames.Count
                    && (best < 0 || tracks[i].Frames[next[i]].TimeMicroseconds < tracks[best].Frames[next[best]].TimeMicroseconds))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                yield break;
            }

            yield return (tracks[best], tracks[best].Frames[next[best]++]);
        }
    }
}
