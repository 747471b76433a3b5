using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Plugins.Evidence.FileSystem;

/// <summary>
/// The default evidence store: each recording is a directory under <c>Root</c>, each object a
/// read-only file written whole (temp name, fsync, atomic rename) or, for a spooled file on the same
/// file system, linked (<see cref="IEvidenceStoreFileLinking"/>); legal hold is a marker file, and
/// deletions leave a tombstone line.
/// </summary>
public sealed class FileSystemEvidenceStorePlugin : IEvidenceStorePlugin
{
    public const string Name = "filesystem";
    public const string RootSetting = "Root";
    public const string LinkFilesSetting = "LinkFiles";

    public PluginDescription Description { get; } = new(
        Name,
        typeof(FileSystemEvidenceStorePlugin).Assembly.GetName().Version?.ToString() ?? "0.0.0",
        "Evidence kept as files under a directory on this machine (local disk or a mounted volume).",
        [
            new PluginSetting(RootSetting, "Absolute path of the directory that holds the evidence; created if missing when the store starts.", Required: true, Secret: false),
            new PluginSetting(LinkFilesSetting, "true (default): a spooled recording file on the same file system is stored by a hard link, not a second copy; false: always copy.", Required: false, Secret: false),
        ]);

    public IEvidenceStore CreateStore(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        if (!settings.TryGetValue(RootSetting, out string? root) || string.IsNullOrWhiteSpace(root))
        {
            throw new ArgumentException($"The file system evidence store needs the setting '{RootSetting}': the directory to keep evidence in.", nameof(settings));
        }

        if (!Path.IsPathFullyQualified(root))
        {
            throw new ArgumentException($"The setting '{RootSetting}' must be an absolute path, not '{root}'.", nameof(settings));
        }

        bool linkFiles = true;
        if (settings.TryGetValue(LinkFilesSetting, out string? link) && !string.IsNullOrWhiteSpace(link) && !bool.TryParse(link, out linkFiles))
        {
            throw new ArgumentException($"The setting '{LinkFilesSetting}' must be true or false, not '{link}'.", nameof(settings));
        }

        Directory.CreateDirectory(root);
        return new FileSystemEvidenceStore(Path.GetFullPath(root), time, linkFiles);
    }
}
