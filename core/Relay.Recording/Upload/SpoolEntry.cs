using System.Globalization;
using System.Text.Json;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Recording.Upload;

/// <summary>
/// One spooled object's journal record, kept as <c>{Id}.json</c> beside its bytes in <c>{Id}.data</c>.
/// The record is written (temp, fsync, rename) only after the bytes are durable, so a record always
/// names a complete copy; bytes without a record are an enqueue that was never acknowledged.
/// </summary>
internal sealed record SpoolEntry(string Id, EvidenceObjectKey Key, string Sha256, long Size, DateTimeOffset EnqueuedAt, int Attempts, string? LastError)
{
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("recordingId", Key.RecordingId);
            json.WriteString("name", Key.Name);
            json.WriteString("sha256", Sha256);
            json.WriteNumber("size", Size);
            json.WriteString("enqueuedAt", EnqueuedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("attempts", Attempts);
            json.WriteString("lastError", LastError);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The record, or null if it is not a well-formed record (a hand-edited or damaged file).</summary>
    public static SpoolEntry? TryParse(string id, byte[] utf8)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(utf8);
            JsonElement root = document.RootElement;
            string? recordingId = root.GetProperty("recordingId").GetString();
            string? name = root.GetProperty("name").GetString();
            string? sha256 = root.GetProperty("sha256").GetString();
            if (!EvidenceObjectKey.TryCreate(recordingId, name, out EvidenceObjectKey key) || sha256 is null || sha256.Length != 64)
            {
                return null;
            }

            return new SpoolEntry(
                id,
                key,
                sha256,
                root.GetProperty("size").GetInt64(),
                DateTimeOffset.Parse(root.GetProperty("enqueuedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("attempts").GetInt32(),
                root.GetProperty("lastError").GetString());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
