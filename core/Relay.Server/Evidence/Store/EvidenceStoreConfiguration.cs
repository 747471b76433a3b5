using Relay.Plugins.Hosting.Sms;

namespace Relay.Server.Evidence.Store;

/// <summary>
/// Where the evidence store is chosen and configured: <c>Relay:Evidence:Store:Plugin</c> (a plugin
/// name: <c>filesystem</c>, the default, or <c>s3</c>) and <c>Relay:Evidence:Store:&lt;plugin&gt;:&lt;key&gt;</c>
/// (that plugin's settings, e.g. <c>Relay:Evidence:Store:s3:Bucket</c>). The file system store's
/// <c>Root</c> defaults to <c>&lt;data directory&gt;/evidence</c>; every plugin is also given
/// <c>DataDirectory</c>.
/// </summary>
internal static class EvidenceStoreConfiguration
{
    public const string Section = "Relay:Evidence:Store";
    public const string PluginKey = Section + ":Plugin";
    public const string DefaultPlugin = "filesystem";
    public const string FileSystemRootSetting = "Root";

    public static string GetPlugin(IConfiguration configuration)
    {
        string? name = configuration[PluginKey];
        return string.IsNullOrWhiteSpace(name) ? DefaultPlugin : name.Trim();
    }

    /// <summary>The plugin's section as flat key to value, case-insensitive, with the defaults filled in.</summary>
    public static Dictionary<string, string?> GetSettings(IConfiguration configuration, string plugin)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in configuration.GetSection(Section).GetSection(plugin).AsEnumerable(makePathsRelative: true))
        {
            if (pair.Value is not null)
            {
                settings[pair.Key] = pair.Value;
            }
        }

        string data = SmsConfiguration.GetDataDirectory(configuration);
        settings.TryAdd(SmsConfiguration.DataDirectorySetting, data);
        if (string.Equals(plugin, DefaultPlugin, StringComparison.OrdinalIgnoreCase))
        {
            string? root = settings.GetValueOrDefault(FileSystemRootSetting);
            settings[FileSystemRootSetting] = string.IsNullOrWhiteSpace(root) ? Path.Combine(data, "evidence") : Path.GetFullPath(root, data);
        }

        return settings;
    }
}
