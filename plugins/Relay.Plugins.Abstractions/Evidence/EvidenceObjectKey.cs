using System.Diagnostics.CodeAnalysis;

namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>
/// Where one evidence object lives in a store: the recording it belongs to and its name within it
/// (<c>segment-000001.rseg</c>, <c>manifest.json</c>). Both parts are validated on construction so a
/// store can use them directly as path segments or object-key segments: no traversal, no separators,
/// no control characters, nothing a file system or an S3 key treats specially.
/// </summary>
/// <remarks>
/// Allowed: ASCII letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; the first character a letter or
/// digit (so no <c>.</c>, <c>..</c> or hidden names: stores keep their own bookkeeping under names
/// starting with a dot); at most <see cref="MaxRecordingIdLength"/> / <see cref="MaxNameLength"/>
/// characters, well under every file system's 255-byte name limit.
/// </remarks>
public readonly record struct EvidenceObjectKey
{
    public const int MaxRecordingIdLength = 128;
    public const int MaxNameLength = 200;

    private EvidenceObjectKey(string recordingId, string name)
    {
        RecordingId = recordingId;
        Name = name;
    }

    public string RecordingId { get; }

    public string Name { get; }

    /// <summary>True for <c>default(EvidenceObjectKey)</c>, which names nothing; stores refuse it.</summary>
    public bool IsEmpty => RecordingId is null;

    /// <summary>A validated key; throws <see cref="ArgumentException"/> naming the part that is not allowed.</summary>
    public static EvidenceObjectKey Create(string recordingId, string name)
    {
        ValidateRecordingId(recordingId);
        if (!IsValidPart(name, MaxNameLength))
        {
            throw new ArgumentException(
                $"An evidence object name must be 1-{MaxNameLength} characters of A-Z a-z 0-9 . _ - starting with a letter or digit.",
                nameof(name));
        }

        return new EvidenceObjectKey(recordingId, name);
    }

    public static bool TryCreate(string? recordingId, string? name, out EvidenceObjectKey key)
    {
        if (IsValidRecordingId(recordingId) && IsValidPart(name, MaxNameLength))
        {
            key = new EvidenceObjectKey(recordingId, name);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="recordingId"/> is a valid recording id.</summary>
    public static void ValidateRecordingId(string recordingId)
    {
        if (!IsValidRecordingId(recordingId))
        {
            throw new ArgumentException(
                $"A recording id must be 1-{MaxRecordingIdLength} characters of A-Z a-z 0-9 . _ - starting with a letter or digit.",
                nameof(recordingId));
        }
    }

    public static bool IsValidRecordingId([NotNullWhen(true)] string? recordingId) => IsValidPart(recordingId, MaxRecordingIdLength);

    public override string ToString() => RecordingId + "/" + Name;

    private static bool IsValidPart([NotNullWhen(true)] string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
            {
                return false;
            }
        }

        return true;
    }
}
