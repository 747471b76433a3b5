namespace Relay.Recording.Bundles;

/// <summary>
/// The layout of a bundle (paths in the zip, '/' separated):
/// <code>
/// README.txt                                      for the recipient
/// bundle.json                                     every other file's size and SHA-256, signed
/// items/&lt;item&gt;/&lt;document&gt;                         audit.json, session.json, ...
/// items/&lt;item&gt;/recordings/&lt;recording&gt;/manifest.json  the signed recording manifest
/// items/&lt;item&gt;/recordings/&lt;recording&gt;/000000.rseg    the raw segments the manifest lists
/// items/&lt;item&gt;/recordings/&lt;recording&gt;/location.jsonl the location trail whose hash the manifest holds
/// items/&lt;item&gt;/recordings/&lt;recording&gt;/location.gpx   the same trail as GPX
/// items/&lt;item&gt;/recordings/&lt;recording&gt;/recording.webm (or .mp4) the playable file
/// </code>
/// </summary>
public static class BundleNames
{
    public const string BundleJson = "bundle.json";
    public const string Readme = "README.txt";
    public const string Gpx = "location.gpx";
    public const string PlayableStem = "recording";

    private const string Items = "items/";
    private const string Recordings = "/recordings/";

    /// <summary>The folder of an item's recording, ending in '/'.</summary>
    public static string RecordingFolder(string itemId, Guid recordingId) => Items + itemId + Recordings + recordingId.ToString("D") + "/";

    /// <summary>The folder of an item, ending in '/'.</summary>
    public static string ItemFolder(string itemId) => Items + itemId + "/";

    /// <summary>1-200 of A-Z a-z 0-9 '.' '-' '_', starting with a letter or digit: a name that is safe as one path part anywhere.</summary>
    public static bool IsPlainFileName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 200 || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a zip entry's name is a plain relative path Relay could have written; false (with why)
    /// for absolute paths, drive letters, backslashes, "." or ".." parts, empty parts and odd characters
    /// (the zip slip family: such a name would land outside the folder it is extracted to).
    /// </summary>
    public static bool IsSafeEntryPath(string name, out string? reason)
    {
        reason = null;
        if (name.Length == 0 || name.Length > 1024)
        {
            reason = "an empty or over-long path";
        }
        else if (name[0] == '/' || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
        {
            reason = "an absolute path, a backslash or a drive letter (it would be extracted outside its folder)";
        }
        else
        {
            foreach (string part in name.Split('/'))
            {
                if (part is "." or "..")
                {
                    reason = "a '.' or '..' part (it would be extracted outside its folder)";
                    break;
                }

                if (!IsPlainFileName(part))
                {
                    reason = "an empty part or characters other than A-Z a-z 0-9 . - _";
                    break;
                }
            }
        }

        return reason is null;
    }

    /// <summary>Splits <c>items/&lt;item&gt;/recordings/&lt;recording&gt;/&lt;file&gt;</c> into its folder (with the trailing '/') and file name.</summary>
    public static bool TrySplitRecordingFile(string name, out string folder, out string file)
    {
        folder = "";
        file = "";
        string[] parts = name.Split('/');
        if (parts.Length != 5 || parts[0] != "items" || parts[2] != "recordings")
        {
            return false;
        }

        folder = string.Join('/', parts, 0, 4) + "/";
        file = parts[4];
        return true;
    }

    /// <summary>Printable text for a name read from an archive (control characters escaped), to put in a message.</summary>
    public static string Printable(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
