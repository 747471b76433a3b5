using Relay.Recording.Segments;

namespace Relay.Bench.Recording;

/// <summary>Keeps a benchmark's recording directory small: segments it has finished with are deleted as it goes.</summary>
internal static class ClosedSegments
{
    /// <summary>Deletes every segment file in <paramref name="directory"/> but the <paramref name="newest"/> last (by name, which is by index).</summary>
    public static void DeleteAllBut(string directory, int newest)
    {
        string[] segments = Directory.GetFiles(directory, "*" + SegmentFormat.FileExtension);
        if (segments.Length <= newest)
        {
            return;
        }

        Array.Sort(segments, StringComparer.Ordinal);
        for (int i = 0; i < segments.Length - newest; i++)
        {
            File.Delete(segments[i]);
        }
    }
}
