using Microsoft.Extensions.Configuration;

namespace Relay.Plugins.Hosting.Sms;

/// <summary>
/// Where the SMS provider is chosen and configured:
/// <c>Relay:Sms:Provider</c> (a plugin name, default <c>outbox</c>), <c>Relay:Sms:Providers:&lt;name&gt;:&lt;key&gt;</c>
/// (that plugin's settings), <c>Relay:Sms:Timeout</c> (HTTP timeout for the provider's API, default 30 s)
/// and <c>Relay:DataDirectory</c> (handed to every plugin as its <c>DataDirectory</c> setting unless it has one).
/// </summary>
public static class SmsConfiguration
{
    public const string ProviderKey = "Relay:Sms:Provider";
    public const string ProvidersSection = "Relay:Sms:Providers";
    public const string TimeoutKey = "Relay:Sms:Timeout";
    public const string DataDirectoryKey = "Relay:DataDirectory";
    public const string DefaultProvider = "outbox";

    /// <summary>The setting every plugin is given: the host's data directory (for files such as the outbox).</summary>
    public const string DataDirectorySetting = "DataDirectory";

    public static string GetProvider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? name = configuration[ProviderKey];
        return string.IsNullOrWhiteSpace(name) ? DefaultProvider : name.Trim();
    }

    /// <summary>The provider's section as flat key to value (nested keys joined with ':'), case-insensitive, plus <see cref="DataDirectorySetting"/>.</summary>
    public static IReadOnlyDictionary<string, string?> GetSettings(IConfiguration configuration, string provider)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(ProvidersSection).GetSection(provider);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in section.AsEnumerable(makePathsRelative: true))
        {
            if (pair.Value is not null)
            {
                settings[pair.Key] = pair.Value;
            }
        }

        if (!settings.ContainsKey(DataDirectorySetting))
        {
            settings[DataDirectorySetting] = GetDataDirectory(configuration);
        }

        return settings;
    }

    /// <summary><c>Relay:DataDirectory</c>, or a "data" folder beside the host's binaries.</summary>
    public static string GetDataDirectory(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? configured = configuration[DataDirectoryKey];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, "data") : configured);
    }

    public static TimeSpan GetTimeout(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return TimeSpan.TryParse(configuration[TimeoutKey], System.Globalization.CultureInfo.InvariantCulture, out TimeSpan timeout) && timeout > TimeSpan.Zero
            ? timeout
            : TimeSpan.FromSeconds(30);
    }
}
