using System.Globalization;
using System.Xml;

namespace Relay.Recording.Export;

/// <summary>
/// Writes a location trail as GPX 1.1 (https://www.topografix.com/GPX/1/1/): one track, one segment,
/// a trkpt per point in time order.
/// </summary>
/// <remarks>
/// <code>
/// &lt;gpx version="1.1" creator="Relay" xmlns=".../GPX/1/1" xmlns:gpxtpx=".../TrackPointExtension/v2" xmlns:relay="..."&gt;
///   &lt;metadata&gt;&lt;name&gt;incident&lt;/name&gt;&lt;time&gt;first fix&lt;/time&gt;&lt;/metadata&gt;
///   &lt;trk&gt;&lt;name/&gt;&lt;trkseg&gt;
///     &lt;trkpt lat=".." lon=".."&gt;&lt;ele/&gt;&lt;time/&gt;
///       &lt;extensions&gt;&lt;gpxtpx:TrackPointExtension&gt;&lt;gpxtpx:speed/&gt;&lt;gpxtpx:course/&gt;&lt;/gpxtpx:TrackPointExtension&gt;
///                   &lt;relay:accuracy&gt;metres&lt;/relay:accuracy&gt;&lt;/extensions&gt;
/// </code>
/// Speed and heading use Garmin's TrackPointExtension v2, which mapping tools read. GPX has no field for
/// a horizontal accuracy in metres (hdop is a dilution factor, not a distance), so accuracy goes in
/// Relay's own extension rather than being passed off as hdop. Points that are not finite or out of
/// range are left out and counted; times are written in UTC.
/// </remarks>
public static class GpxWriter
{
    public const string GpxNamespace = "http://www.topografix.com/GPX/1/1";
    public const string TrackPointExtensionNamespace = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2";
    public const string RelayNamespace = "https://relay.invalid/xmlschemas/gpx/1";

    /// <summary>Writes <paramref name="points"/> to <paramref name="output"/>; returns how many points were left out as invalid.</summary>
    public static int Write(Stream output, IEnumerable<LocationPoint> points, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(points);
        var sorted = new List<LocationPoint>();
        int invalid = 0;
        foreach (LocationPoint point in points)
        {
            if (IsValid(point))
            {
                sorted.Add(point);
            }
            else
            {
                invalid++;
            }
        }

        sorted.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false };
        using XmlWriter xml = XmlWriter.Create(output, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("gpx", GpxNamespace);
        xml.WriteAttributeString("version", "1.1");
        xml.WriteAttributeString("creator", "Relay");
        xml.WriteAttributeString("xmlns", "gpxtpx", null, TrackPointExtensionNamespace);
        xml.WriteAttributeString("xmlns", "relay", null, RelayNamespace);
        xml.WriteStartElement("metadata", GpxNamespace);
        if (name is not null)
        {
            xml.WriteElementString("name", GpxNamespace, name);
        }

        if (sorted.Count > 0)
        {
            xml.WriteElementString("time", GpxNamespace, Time(sorted[0].Time));
        }

        xml.WriteEndElement();
        xml.WriteStartElement("trk", GpxNamespace);
        if (name is not null)
        {
            xml.WriteElementString("name", GpxNamespace, name);
        }

        xml.WriteStartElement("trkseg", GpxNamespace);
        foreach (LocationPoint point in sorted)
        {
            xml.WriteStartElement("trkpt", GpxNamespace);
            xml.WriteAttributeString("lat", Number(point.Latitude));
            xml.WriteAttributeString("lon", Number(point.Longitude));
            if (point.AltitudeMeters is double altitude)
            {
                xml.WriteElementString("ele", GpxNamespace, Number(altitude));
            }

            xml.WriteElementString("time", GpxNamespace, Time(point.Time));
            bool motion = point.SpeedMetersPerSecond is not null || point.HeadingDegrees is not null;
            if (motion || point.AccuracyMeters is not null)
            {
                xml.WriteStartElement("extensions", GpxNamespace);
                if (motion)
                {
                    xml.WriteStartElement("gpxtpx", "TrackPointExtension", TrackPointExtensionNamespace);
                    if (point.SpeedMetersPerSecond is double speed)
                    {
                        xml.WriteElementString("gpxtpx", "speed", TrackPointExtensionNamespace, Number(speed));
                    }

                    if (point.HeadingDegrees is double heading)
                    {
                        xml.WriteElementString("gpxtpx", "course", TrackPointExtensionNamespace, Number(heading));
                    }

                    xml.WriteEndElement();
                }

                if (point.AccuracyMeters is double accuracy)
                {
                    xml.WriteElementString("relay", "accuracy", RelayNamespace, Number(accuracy));
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
        return invalid;
    }

    private static bool IsValid(LocationPoint point) =>
        double.IsFinite(point.Latitude) && point.Latitude is >= -90 and <= 90
        && double.IsFinite(point.Longitude) && point.Longitude is >= -180 and <= 180
        && (point.AccuracyMeters is null || (double.IsFinite(point.AccuracyMeters.Value) && point.AccuracyMeters >= 0))
        && (point.AltitudeMeters is null || double.IsFinite(point.AltitudeMeters.Value))
        && (point.HeadingDegrees is null || (double.IsFinite(point.HeadingDegrees.Value) && point.HeadingDegrees is >= 0 and < 360))
        && (point.SpeedMetersPerSecond is null || (double.IsFinite(point.SpeedMetersPerSecond.Value) && point.SpeedMetersPerSecond >= 0));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
