using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Relay.Recording.Export;

namespace Relay.Recording.Location;

/// <summary>
/// The caller's location trail as evidence: <c>location.jsonl</c>, one fix per line in a fixed form
/// (<c>{"t":"2026-12-01T18:00:00.000000Z","lat":51.5,"lon":-0.12,"acc":5,"alt":null,"hdg":null,"spd":null}</c>,
/// UTF-8, <c>\n</c> after every line, numbers in invariant round-trip form). The same fixes always give
/// the same bytes, so the file's SHA-256 (kept in the signed manifest) can be re-checked from an export.
/// </summary>
public static class LocationTrailFile
{
    /// <summary>The trail's file and evidence object name.</summary>
    public const string Name = "location.jsonl";

    /// <summary>The canonical bytes of <paramref name="points"/>, in the order given.</summary>
    public static byte[] ToBytes(IEnumerable<LocationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var text = new StringBuilder();
        foreach (LocationPoint point in points)
        {
            text.Append("{\"t\":\"")
                .Append(point.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
                .Append("\",\"lat\":").Append(Number(point.Latitude))
                .Append(",\"lon\":").Append(Number(point.Longitude))
                .Append(",\"acc\":").Append(Number(point.AccuracyMeters))
                .Append(",\"alt\":").Append(Number(point.AltitudeMeters))
                .Append(",\"hdg\":").Append(Number(point.HeadingDegrees))
                .Append(",\"spd\":").Append(Number(point.SpeedMetersPerSecond))
                .Append("}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>SHA-256 of the canonical bytes, lowercase hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));

    /// <summary>
    /// Reads a trail file. Throws <see cref="InvalidDataException"/> naming the line for anything that is
    /// not a fix in the canonical form, so an altered file is reported rather than half read.
    /// </summary>
    public static IReadOnlyList<LocationPoint> Parse(ReadOnlySpan<byte> file)
    {
        var points = new List<LocationPoint>();
        int line = 0;
        ReadOnlySpan<byte> bytes = file;
        while (!bytes.IsEmpty)
        {
            line++;
            int end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                throw new InvalidDataException($"{Name} line {line}: the last line has no line end (the file was cut short).");
            }

            points.Add(ParseLine(bytes[..end], line));
            bytes = bytes[(end + 1)..];
        }

        // Written again, the fixes must give the same bytes: a file edited by hand (spacing, field
        // order, digits) would hash differently from what was signed even if its values read the same.
        if (!ToBytes(points).AsSpan().SequenceEqual(file))
        {
            throw new InvalidDataException($"{Name} is not in its canonical form (it was not written by Relay, or was edited).");
        }

        return points;
    }

    private static LocationPoint ParseLine(ReadOnlySpan<byte> line, int number)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{Name} line {number}: not a JSON object.");
            }

            string time = root.GetProperty("t").GetString() ?? throw new InvalidDataException($"{Name} line {number}: no time.");
            if (!DateTimeOffset.TryParseExact(time, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset at))
            {
                throw new InvalidDataException($"{Name} line {number}: time '{time}' is not UTC with microseconds.");
            }

            double latitude = root.GetProperty("lat").GetDouble();
            double longitude = root.GetProperty("lon").GetDouble();
            if (latitude is < -90 or > 90 || longitude is < -180 or > 180)
            {
                throw new InvalidDataException($"{Name} line {number}: latitude or longitude out of range.");
            }

            return new LocationPoint(at, latitude, longitude, Optional(root, "acc"), Optional(root, "alt"), Optional(root, "hdg"), Optional(root, "spd"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{Name} line {number}: {e.Message}", e);
        }
    }

    private static double? Optional(JsonElement root, string name) =>
        root.GetProperty(name).ValueKind == JsonValueKind.Null ? null : root.GetProperty(name).GetDouble();

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
}
