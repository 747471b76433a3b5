using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Relay.Media.Streams;

namespace Relay.Recording.Manifests;

/// <summary>
/// The manifest as JSON. <see cref="ToCanonicalJson"/> is the form that is signed: UTF-8, no
/// whitespace, properties in a fixed order, times as ISO 8601 UTC with microseconds
/// (<c>2026-12-01T16:00:00.123456Z</c>), hashes as lowercase hex. A signed manifest file is
/// <c>{"manifest":CANONICAL,"signature":{"algorithm":"ES256","value":BASE64}}</c> with the canonical
/// bytes verbatim, so a verifier checks the signature over the raw bytes of the "manifest" value.
/// </summary>
public static class ManifestJson
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static byte[] ToCanonicalJson(RecordingManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("format", RecordingManifest.Format);
            json.WriteString("recordingId", manifest.RecordingId.ToString("D"));
            json.WriteString("sessionId", manifest.SessionId);
            json.WriteString("start", FormatTime(manifest.StartMicroseconds));
            if (manifest.EndMicroseconds is long end)
            {
                json.WriteString("end", FormatTime(end));
            }
            else
            {
                json.WriteNull("end");
            }

            json.WriteStartArray("tracks");
            foreach (RecordedTrack track in manifest.Tracks)
            {
                json.WriteStartObject();
                json.WriteNumber("index", track.Index);
                json.WriteString("kind", track.Kind == MediaTrackKind.Audio ? "audio" : "video");
                json.WriteString("codec", CodecName(track.Codec));
                json.WriteNumber("clockRate", track.ClockRate);
                json.WriteNumber("payloadType", track.PayloadType);
                json.WriteNumber("channels", track.Channels);
                WriteStringOrNull(json, "formatParameters", track.FormatParameters);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("segments");
            foreach (ManifestSegment segment in manifest.Segments)
            {
                json.WriteStartObject();
                json.WriteNumber("index", segment.Index);
                json.WriteString("file", segment.FileName);
                json.WriteString("start", FormatTime(segment.StartMicroseconds));
                json.WriteString("end", FormatTime(segment.EndMicroseconds));
                json.WriteNumber("bytes", segment.Length);
                json.WriteNumber("packets", segment.PacketCount);
                json.WriteString("sha256", segment.Sha256);
                json.WriteString("chainHash", segment.ChainHash);
                json.WriteBoolean("recovered", segment.Recovered);
                json.WriteNumber("discardedBytes", segment.DiscardedBytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("gaps");
            foreach (RecordingGap gap in manifest.Gaps)
            {
                json.WriteStartObject();
                json.WriteString("from", FormatTime(gap.FromMicroseconds));
                json.WriteString("to", FormatTime(gap.ToMicroseconds));
                json.WriteString("reason", gap.Reason == RecordingGapReason.PublisherReconnect ? "publisher-reconnect" : "storage-stall");
                json.WriteNumber("droppedPackets", gap.DroppedPackets);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("droppedPackets", manifest.DroppedPackets);
            json.WriteBoolean("recovered", manifest.Recovered);
            json.WriteString("chainHash", manifest.ChainHash);
            WriteStringOrNull(json, "locationTrailSha256", manifest.LocationTrailSha256);
            if (manifest.SigningKey is null)
            {
                json.WriteNull("signingKey");
            }
            else
            {
                json.WriteStartObject("signingKey");
                json.WriteString("algorithm", EvidenceSigningKey.Algorithm);
                json.WriteString("publicKey", manifest.SigningKey);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The signed file: the canonical bytes verbatim and the signature over them.</summary>
    public static byte[] ToSignedFile(byte[] canonical, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(signature);
        byte[] head = "{\"manifest\":"u8.ToArray();
        byte[] tail = Encoding.UTF8.GetBytes(",\"signature\":{\"algorithm\":\"" + EvidenceSigningKey.Algorithm + "\",\"value\":\"" + Convert.ToBase64String(signature) + "\"}}");
        return [.. head, .. canonical, .. tail];
    }

    /// <summary>
    /// Splits a signed manifest file into the manifest, its canonical bytes and the signature.
    /// False (with why) for anything that is not one; never throws for content.
    /// </summary>
    public static bool TryReadSigned(ReadOnlySpan<byte> file, out RecordingManifest? manifest, out byte[] canonical, out byte[] signature, out string? error)
    {
        manifest = null;
        canonical = [];
        signature = [];
        try
        {
            var reader = new Utf8JsonReader(file);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("manifest", out JsonElement body)
                || !root.TryGetProperty("signature", out JsonElement sig)
                || sig.ValueKind != JsonValueKind.Object
                || !sig.TryGetProperty("value", out JsonElement value))
            {
                error = "not a signed manifest (needs \"manifest\" and \"signature\")";
                return false;
            }

            canonical = Encoding.UTF8.GetBytes(body.GetRawText());
            signature = Convert.FromBase64String(value.GetString() ?? string.Empty);
            return TryRead(body, out manifest, out error);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            error = "unreadable manifest: " + e.Message;
            return false;
        }
    }

    /// <summary>Reads an unsigned (canonical) manifest, as the open recording's journal holds it.</summary>
    public static bool TryReadCanonical(ReadOnlySpan<byte> json, out RecordingManifest? manifest, out string? error)
    {
        manifest = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return TryRead(document.RootElement, out manifest, out error);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            error = "unreadable manifest: " + e.Message;
            return false;
        }
    }

    public static string FormatTime(long unixMicroseconds) =>
        DateTime.UnixEpoch.AddTicks(unixMicroseconds * TimeSpan.TicksPerMicrosecond).ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static long ParseTime(string text) =>
        (DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private static bool TryRead(JsonElement root, out RecordingManifest? manifest, out string? error)
    {
        manifest = null;
        if (root.ValueKind != JsonValueKind.Object || root.GetProperty("format").GetString() != RecordingManifest.Format)
        {
            error = "not a " + RecordingManifest.Format + " manifest";
            return false;
        }

        var tracks = new List<RecordedTrack>();
        foreach (JsonElement t in root.GetProperty("tracks").EnumerateArray())
        {
            tracks.Add(new RecordedTrack(
                t.GetProperty("index").GetByte(),
                t.GetProperty("kind").GetString() == "audio" ? MediaTrackKind.Audio : MediaTrackKind.Video,
                ParseCodec(t.GetProperty("codec").GetString()),
                t.GetProperty("clockRate").GetInt32(),
                t.GetProperty("payloadType").GetByte(),
                t.GetProperty("channels").GetInt32(),
                t.GetProperty("formatParameters").GetString()));
        }

        var segments = new List<ManifestSegment>();
        foreach (JsonElement s in root.GetProperty("segments").EnumerateArray())
        {
            segments.Add(new ManifestSegment(
                s.GetProperty("index").GetInt32(),
                s.GetProperty("file").GetString() ?? throw new FormatException("A segment has no file."),
                ParseTime(s.GetProperty("start").GetString()!),
                ParseTime(s.GetProperty("end").GetString()!),
                s.GetProperty("bytes").GetInt64(),
                s.GetProperty("packets").GetInt64(),
                s.GetProperty("sha256").GetString()!,
                s.GetProperty("chainHash").GetString()!,
                s.GetProperty("recovered").GetBoolean(),
                s.GetProperty("discardedBytes").GetInt64()));
        }

        var gaps = new List<RecordingGap>();
        foreach (JsonElement g in root.GetProperty("gaps").EnumerateArray())
        {
            gaps.Add(new RecordingGap(
                ParseTime(g.GetProperty("from").GetString()!),
                ParseTime(g.GetProperty("to").GetString()!),
                g.GetProperty("reason").GetString() == "publisher-reconnect" ? RecordingGapReason.PublisherReconnect : RecordingGapReason.StorageStall,
                g.GetProperty("droppedPackets").GetInt64()));
        }

        JsonElement end = root.GetProperty("end");
        JsonElement key = root.GetProperty("signingKey");
        manifest = new RecordingManifest(
            Guid.Parse(root.GetProperty("recordingId").GetString()!),
            root.GetProperty("sessionId").GetString()!,
            ParseTime(root.GetProperty("start").GetString()!),
            end.ValueKind == JsonValueKind.Null ? null : ParseTime(end.GetString()!),
            tracks,
            segments,
            gaps,
            root.GetProperty("droppedPackets").GetInt64(),
            root.GetProperty("recovered").GetBoolean(),
            root.GetProperty("chainHash").GetString()!,
            root.GetProperty("locationTrailSha256").GetString(),
            key.ValueKind == JsonValueKind.Null ? null : key.GetProperty("publicKey").GetString());
        error = null;
        return true;
    }

    private static string CodecName(MediaCodec codec) => codec switch
    {
        MediaCodec.Vp8 => "VP8",
        MediaCodec.H264 => "H264",
        _ => "opus",
    };

    private static MediaCodec ParseCodec(string? name) => name switch
    {
        "VP8" => MediaCodec.Vp8,
        "H264" => MediaCodec.H264,
        "opus" => MediaCodec.Opus,
        _ => throw new FormatException("Unknown codec " + name),
    };

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
