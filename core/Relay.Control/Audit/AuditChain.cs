using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Relay.Control.Audit;

/// <summary>
/// The bytes a row's hash covers, defined without reference to any JSON library so that a verifier
/// written elsewhere gets the same answer:
/// <code>
/// hash = SHA-256( previous_hash (32 bytes) || field(sequence) || field(time) || field(actor)
///                 || field(action) || field(subject) || field(reason) || field(recipient) || field(details) )
/// field(text) = 4-byte big-endian length of the UTF-8 bytes || the UTF-8 bytes
/// field(null) = FF FF FF FF
/// </code>
/// sequence is decimal text; time is the stored ISO 8601 text; details is the stored canonical JSON
/// (an object of strings, keys in ordinal order, no whitespace).
/// </summary>
internal static class AuditChain
{
    public static string ComputeHash(string previousHash, long sequence, string time, string actor, string action, string? subject, string? reason, string? recipient, string details)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] previous = Convert.FromHexString(previousHash);
        hash.AppendData(previous);
        AppendField(hash, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AppendField(hash, time);
        AppendField(hash, actor);
        AppendField(hash, action);
        AppendField(hash, subject);
        AppendField(hash, reason);
        AppendField(hash, recipient);
        AppendField(hash, details);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Details as canonical JSON: one object, string values, keys sorted by ordinal, no whitespace.</summary>
    public static string CanonicalDetails(IReadOnlyDictionary<string, string>? details)
    {
        if (details is null || details.Count == 0)
        {
            return "{}";
        }

        string[] keys = [.. details.Keys];
        Array.Sort(keys, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (string key in keys)
            {
                writer.WriteString(key, details[key]);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyDictionary<string, string> ParseDetails(string json)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    details[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            // A tampered row may hold anything; verification reports it, reading shows what can be read.
        }

        return details;
    }

    private static void AppendField(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
