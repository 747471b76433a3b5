using System.Globalization;
using System.Text.Json;

namespace Relay.Plugins.Sms.Outbox;

/// <summary>
/// Reads the outbox file the outbox provider writes: one JSON object per line. A line that cannot be
/// read (a write cut short by a crash) is skipped. Usable from any process or context: it only reads the file.
/// </summary>
public sealed class OutboxReader(string path)
{
    public const string PathSetting = "Path";
    public const string DataDirectorySetting = "DataDirectory";
    public const string DefaultFileName = "sms-outbox.jsonl";

    public string FilePath { get; } = path;

    /// <summary>The outbox file for a provider's settings: <c>Path</c> (default <see cref="DefaultFileName"/>), relative to <c>DataDirectory</c> (default the current directory).</summary>
    public static string ResolvePath(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string file = settings.TryGetValue(PathSetting, out string? configured) && !string.IsNullOrWhiteSpace(configured) ? configured : DefaultFileName;
        string dataDirectory = settings.TryGetValue(DataDirectorySetting, out string? data) && !string.IsNullOrWhiteSpace(data) ? data : Directory.GetCurrentDirectory();
        return Path.GetFullPath(file, Path.GetFullPath(dataDirectory));
    }

    /// <summary>Every message in the outbox, oldest first; empty when there is no file yet.</summary>
    public IReadOnlyList<OutboxEntry> ReadAll()
    {
        var entries = new List<OutboxEntry>();
        if (!File.Exists(FilePath))
        {
            return entries;
        }

        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (TryParse(line, out OutboxEntry? entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>The latest message sent to <paramref name="to"/>, or null.</summary>
    public OutboxEntry? FindLastTo(string to) => ReadAll().LastOrDefault(e => string.Equals(e.To, to, StringComparison.Ordinal));

    /// <summary>The latest message with Relay's <paramref name="reference"/>, or null.</summary>
    public OutboxEntry? FindLastByReference(string reference) => ReadAll().LastOrDefault(e => string.Equals(e.Reference, reference, StringComparison.Ordinal));

    internal static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutboxEntry? entry)
    {
        entry = null;
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryGet(root, "id", out string? id) || !TryGet(root, "at", out string? at) || !TryGet(root, "to", out string? to)
                || !TryGet(root, "body", out string? body) || !TryGet(root, "reference", out string? reference)
                || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset when))
            {
                return false;
            }

            entry = new OutboxEntry(id, when, to, body, reference);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryGet(JsonElement root, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = root.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }
}
