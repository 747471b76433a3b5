using System.Xml.Linq;
using Relay.Recording.Export;

namespace Relay.Recording.Tests.Export;

public sealed class GpxWriterTests
{
    private static readonly XNamespace s_gpx = GpxWriter.GpxNamespace;
    private static readonly XNamespace s_tpx = GpxWriter.TrackPointExtensionNamespace;
    private static readonly XNamespace s_relay = GpxWriter.RelayNamespace;
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 15, 30, 0, TimeSpan.FromHours(1));

    [Fact]
    public void A_trail_is_written_as_gpx_1_1_track_points_in_time_order_with_utc_times()
    {
        LocationPoint[] points =
        [
            new(s_start.AddSeconds(2), 51.5008, -0.1246, AccuracyMeters: 12.5, HeadingDegrees: 90, SpeedMetersPerSecond: 1.4),
            new(s_start, 51.5007, -0.1245, AltitudeMeters: 11),
        ];

        XDocument gpx = Write(points, "INC-2026-0042", out int invalid);

        Assert.Equal(0, invalid);
        Assert.Equal("1.1", gpx.Root!.Attribute("version")!.Value);
        Assert.Equal(s_gpx + "gpx", gpx.Root.Name);
        XElement[] trackPoints = [.. gpx.Descendants(s_gpx + "trkpt")];
        Assert.Equal(2, trackPoints.Length);
        Assert.Equal("51.5007", trackPoints[0].Attribute("lat")!.Value);
        Assert.Equal("2026-12-01T14:30:00.000Z", trackPoints[0].Element(s_gpx + "time")!.Value);
        Assert.Equal("11", trackPoints[0].Element(s_gpx + "ele")!.Value);
        Assert.Null(trackPoints[0].Element(s_gpx + "extensions"));
        XElement extensions = trackPoints[1].Element(s_gpx + "extensions")!;
        Assert.Equal("1.4", extensions.Descendants(s_tpx + "speed").Single().Value);
        Assert.Equal("90", extensions.Descendants(s_tpx + "course").Single().Value);
        Assert.Equal("12.5", extensions.Element(s_relay + "accuracy")!.Value);
        Assert.Equal("INC-2026-0042", gpx.Root.Element(s_gpx + "metadata")!.Element(s_gpx + "name")!.Value);
    }

    [Fact]
    public void Points_out_of_range_or_not_finite_are_left_out_and_counted()
    {
        LocationPoint[] points =
        [
            new(s_start, 91, 0),
            new(s_start, 0, double.NaN),
            new(s_start, 0, 0, AccuracyMeters: -1),
            new(s_start, 0, 0, HeadingDegrees: 360),
            new(s_start, 0, 0, SpeedMetersPerSecond: double.PositiveInfinity),
            new(s_start, 10, 20),
        ];

        XDocument gpx = Write(points, null, out int invalid);

        Assert.Equal(5, invalid);
        Assert.Single(gpx.Descendants(s_gpx + "trkpt"));
    }

    [Fact]
    public void An_empty_trail_is_still_a_valid_gpx_document()
    {
        XDocument gpx = Write([], null, out int invalid);

        Assert.Equal(0, invalid);
        Assert.Empty(gpx.Descendants(s_gpx + "trkpt"));
        Assert.NotNull(gpx.Root!.Element(s_gpx + "trk")!.Element(s_gpx + "trkseg"));
    }

    private static XDocument Write(IEnumerable<LocationPoint> points, string? name, out int invalid)
    {
        using var stream = new MemoryStream();
        invalid = GpxWriter.Write(stream, points, name);
        stream.Position = 0;
        return XDocument.Load(stream);
    }
}
