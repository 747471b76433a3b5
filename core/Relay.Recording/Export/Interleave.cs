namespace Relay.Recording.Export;

/// <summary>
/// Merges tracks' frames into one sequence in time order (ties keep track order), as both containers
/// interleave them. Each track's frames are read as they are needed, so only one frame per track (its
/// next) is held here however long the recording is.
/// </summary>
internal static class Interleave
{
    public static IEnumerable<(MuxTrack Track, TimedFrame Frame)> ByTime(IReadOnlyList<MuxTrack> tracks)
    {
        var readers = new IEnumerator<TimedFrame>?[tracks.Count];
        try
        {
            for (int i = 0; i < tracks.Count; i++)
            {
                readers[i] = tracks[i].Frames.GetEnumerator();
                if (!readers[i]!.MoveNext())
                {
                    readers[i]!.Dispose();
                    readers[i] = null;
                }
            }

            while (true)
            {
                int best = -1;
                for (int i = 0; i < tracks.Count; i++)
                {
                    if (readers[i] is not null
                        && (best < 0 || readers[i]!.Current.TimeMicroseconds < readers[best]!.Current.TimeMicroseconds))
                    {
                        best = i;
                    }
                }

                if (best < 0)
                {
                    yield break;
                }

                TimedFrame frame = readers[best]!.Current;
                tracks[best].Written(frame);
                yield return (tracks[best], frame);
                if (!readers[best]!.MoveNext())
                {
                    readers[best]!.Dispose();
                    readers[best] = null;
                }
            }
        }
        finally
        {
            foreach (IEnumerator<TimedFrame>? reader in readers)
            {
                reader?.Dispose();
            }
        }
    }
}
