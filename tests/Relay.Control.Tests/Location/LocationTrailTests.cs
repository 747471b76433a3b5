using Relay.Control.Location;

namespace Relay.Control.Tests.Location;

public sealed class LocationTrailTests
{
    private static LocationFix Fix(int i) => new(50 + (i * 0.001), -1, 5, null, null, DateTimeOffset.UnixEpoch.AddSeconds(i), DateTimeOffset.UnixEpoch.AddSeconds(i), new GridPosition(0, 0), null);

    [Fact]
    public void KeepsFixesOldestFirst()
    {
        var trail = new LocationTrail(4);
        trail.Add(Fix(1));
        trail.Add(Fix(2));

        Assert.Equal([Fix(1), Fix(2)], trail.ToList());
        Assert.Equal(Fix(2), trail.Last);
    }

    [Fact]
    public void DropsTheOldestWhenFull()
    {
        var trail = new LocationTrail(3);
        for (int i = 1; i <= 10; i++)
        {
            trail.Add(Fix(i));
        }

        Assert.Equal(3, trail.Count);
        Assert.Equal([Fix(8), Fix(9), Fix(10)], trail.ToList());
        Assert.Equal(Fix(10), trail.Last);
    }

    [Fact]
    public void AnEmptyTrailHasNoLastFix()
    {
        Assert.Null(new LocationTrail().Last);
        Assert.Empty(new LocationTrail().ToList());
    }

    [Fact]
    public void TheDirectoryKeepsEachSessionApartAndBounded()
    {
        var directory = new LocationDirectory(trailCapacity: 2);
        directory.Add("a", Fix(1));
        directory.Add("a", Fix(2));
        directory.Add("a", Fix(3));
        directory.Add("b", Fix(9));

        Assert.Equal([Fix(2), Fix(3)], directory.GetTrail("a"));
        Assert.Equal(Fix(9), directory.GetLast("b"));
        Assert.Null(directory.GetLast("c"));
        Assert.Empty(directory.GetTrail("c"));

        directory.Remove("a");
        Assert.Null(directory.GetLast("a"));
    }
}
