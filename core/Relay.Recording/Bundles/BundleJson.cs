using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Relay.Recording.Manifests;

namespace Relay.Recording.Bundles;

/// <summary>
/// <c>bundle.json</c>: <c>{"bundle":CANONICAL,"signature":{"algorithm":"ES256","value":BASE64}}</c>, where
/// CANONICAL is UTF-8 JSON with no whitespace and properties in a fixed order:
/// <c>{"format":"relay-evidence-bundle/1","purpose":..,"created":..,"createdBy":..,"recipient":..,"items":[..],
/// "files":[{"name":..,"bytes":..,"sha256":..},..],"signingKey":{"algorithm":"ES256","publicKey":..}}</c>.
/// The signature (ES256, as the recording manifests) is over CANONICAL's bytes verbatim, so anyone can
/// check it with the public key without re-serialising.
/// </summary>
public static class BundleJson
{
    public const string Format = "relay-evidence-bundle/1";

    /// <summary>bundle.json is a list of files; a larger one is not Relay's.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    private static readonly JsonWriterOptions s_options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The signed file for <paramref name="files"/>.</summary>
    public static byte[] ToSignedFile(EvidenceBundle bundle, IReadOnlyList<BundleFile> files, EvidenceSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(key);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, s_options))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("purpose", bundle.Purpose);
            json.WriteString("created", bundle.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("createdBy", bundle.CreatedBy);
            if (bundle.Recipient is null)
            {
                json.WriteNull("recipient");
            }
            else
            {
                json.WriteString("recipient", bundle.Recipient);
            }

            json.WriteStartArray("items");
            foreach (BundleItem item in bundle.Items)
            {
                json.WriteStringValue(item.Id);
            }

            json.WriteEndArray();
            json.WriteStartArray("files");
            foreach (BundleFile file in files)
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteNumber("bytes", file.Bytes);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("signingKey");
            json.WriteString("algorithm", EvidenceSigningKey.Algorithm);
            json.WriteString("publicKey", key.PublicKey);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        byte[] canonical = stream.ToArray();
        byte[] signature = key.Sign(canonical);
        byte[] tail = Encoding.UTF8.GetBytes(",\"signature\":{\"algorithm\":\"" + EvidenceSigningKey.Algorithm + "\",\"value\":\"" + Convert.ToBase64String(signature) + "\"}}");
        return [.. "{\"bundle\":"u8, .. canonical, .. tail];
    }

    /// <summary>
    /// Reads a signed bundle.json: the files it lists, the key it names and whether the signature holds.
    /// False (with why) for anything that is not one; never throws for content.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> file, out IReadOnlyList<BundleFile> files, out string? publicKey, out bool signatureValid, out string? error)
    {
        files = [];
        publicKey = null;
        signatureValid = false;
        try
        {
            var reader = new Utf8JsonReader(file, new JsonReaderOptions { MaxDepth = 16 });
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("bundle", out JsonElement body) || body.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("signature", out JsonElement signature) || signature.ValueKind != JsonValueKind.Object
                || !signature.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.String)
            {
                error = "not a signed bundle list (needs \"bundle\" and \"signature\")";
                return false;
            }

            if (!body.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                error = "not a " + Format + " list";
                return false;
            }

            if (!body.TryGetProperty("signingKey", out JsonElement key) || key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("publicKey", out JsonElement keyValue) || keyValue.ValueKind != JsonValueKind.String)
            {
                error = "names no signing key";
                return false;
            }

            publicKey = keyValue.GetString();
            if (!body.TryGetProperty("files", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                error = "has no \"files\" list";
                return false;
            }

            var read = new List<BundleFile>();
            foreach (JsonElement entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("bytes", out JsonElement bytes) || !bytes.TryGetInt64(out long length) || length < 0
                    || !entry.TryGetProperty("sha256", out JsonElement sha) || sha.ValueKind != JsonValueKind.String)
                {
                    error = $"file entry {read.Count} is not {{\"name\", \"bytes\", \"sha256\"}}";
                    return false;
                }

                read.Add(new BundleFile(name.GetString()!, length, sha.GetString()!));
            }

            byte[] canonical = Encoding.UTF8.GetBytes(body.GetRawText());
            byte[] signatureBytes = Convert.FromBase64String(value.GetString()!);
            signatureValid = EvidenceSigningKey.Verify(publicKey!, canonical, signatureBytes);
            files = read;
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            error = "unreadable: " + e.Message;
            return false;
        }
    }
}
