using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests.Export;

/// <summary>Checks where the export placed each frame against when it was sent.</summary>
internal static class PlacedTimes
{
    /// <summary>WebM keeps times to the millisecond; arrival jitter moves a track's start by a fraction of one more.</summary>
    public const double Tolerance = 0.002;

    /// <summary>
    /// The wall-clock send time (seconds from the clip's start) of every frame of <paramref name="stream"/>
    /// that arrived whole: where each must play in the file, whose time zero is the clip's first frame.
    /// </summary>
    public static List<double> Expected(RecordedStream stream)
    {
        var times = new List<double>();
        for (int i = 0; i < stream.WallSeconds.Count; i++)
        {
            if (!stream.FramesWithLoss.Contains(i))
            {
                times.Add(stream.WallSeconds[i]);
            }
        }

        return times;
    }

    /// <summary>Every probed time is the expected one, in order, one for one.</summary>
    public static void AssertMatch(IReadOnlyList<double> expected, IReadOnlyList<double> probed, string track)
    {
        Assert.True(expected.Count == probed.Count, $"{track}: {probed.Count} frames in the file, {expected.Count} sent whole");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - probed[i]) <= Tolerance,
                $"{track} frame {i} plays at {probed[i]:F4} s but was sent at {expected[i]:F4} s");
        }
    }
}
