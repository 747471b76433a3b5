using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Hosting;

namespace Relay.Server.Evidence.Store;

/// <summary>
/// The evidence store this node writes to, made once from the configured plugin
/// (<see cref="EvidenceStoreConfiguration"/>). A store that cannot be made (no such plugin loaded, not
/// an evidence store, a missing or refused setting) is a configuration mistake and stops the relay at
/// start with the reason (<see cref="OptionsValidationException"/>, which the host reports and exits 2):
/// recording without anywhere to keep the evidence is not a state to run in. A store that is made but
/// cannot be reached (disk unwritable, S3 down) is not fatal: objects wait in the spool and
/// <c>/healthz</c> says so (<see cref="EvidenceStoreHealth"/>).
/// </summary>
internal sealed partial class EvidenceStoreSelection : IDisposable
{
    private readonly HttpClient _http;

    private EvidenceStoreSelection(string name, IEvidenceStore store, HttpClient http)
    {
        Name = name;
        Store = store;
        _http = http;
    }

    /// <summary>The plugin's name (<c>filesystem</c>, <c>s3</c>): what the catalogue records as where a recording is stored.</summary>
    public string Name { get; }

    public IEvidenceStore Store { get; }

    [SuppressMessage("Design", "CA1031", Justification = "Whatever the plugin throws while configuring is reported as a configuration failure.")]
    [SuppressMessage("Reliability", "CA2000", Justification = "The HttpClient is owned by the selection (disposed with it) or disposed on failure.")]
    public static EvidenceStoreSelection Create(PluginCatalog catalog, IConfiguration configuration, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        string name = EvidenceStoreConfiguration.GetPlugin(configuration);
        LoadedPlugin? plugin = catalog.Find(name);
        if (plugin is null)
        {
            string loaded = catalog.Plugins.Count == 0 ? "none" : string.Join(", ", catalog.Plugins.Select(static p => p.Name));
            throw Fail($"No evidence store plugin named '{name}' is loaded from {catalog.PluginsDirectory} (loaded: {loaded}). Set {EvidenceStoreConfiguration.PluginKey} to filesystem or s3, or install the plugin.");
        }

        if (plugin.Instance is not IEvidenceStorePlugin evidence)
        {
            throw Fail($"Plugin '{plugin.Name}' is not an evidence store. Set {EvidenceStoreConfiguration.PluginKey} to an evidence store plugin (filesystem, s3).");
        }

        Dictionary<string, string?> settings = EvidenceStoreConfiguration.GetSettings(configuration, plugin.Name);
        var missing = plugin.Description.Settings
            .Where(s => s.Required && string.IsNullOrWhiteSpace(settings.GetValueOrDefault(s.Key)))
            .Select(s => $"{EvidenceStoreConfiguration.Section}:{plugin.Name}:{s.Key}")
            .ToList();
        if (missing.Count > 0)
        {
            throw Fail($"The evidence store '{plugin.Name}' needs {string.Join(", ", missing)}.");
        }

        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            IEvidenceStore store = evidence.CreateStore(settings, http, time);
            string described = Describe(plugin.Description, settings);
            Log.InUse(logger, plugin.Name, plugin.Version, described);

            return new EvidenceStoreSelection(plugin.Name, store, http);
        }
        catch (Exception e)
        {
            http.Dispose();
            string reason = $"The evidence store '{plugin.Name}' refused its settings: {Redact(e.Message, plugin.Description, settings)}";
            throw Fail(reason);
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        _http.Dispose();
    }

    private static OptionsValidationException Fail(string message) =>
        new(EvidenceStoreConfiguration.Section, typeof(EvidenceStoreSelection), [message]);

    private static string Describe(PluginDescription description, Dictionary<string, string?> settings) =>
        string.Join(", ", description.Settings
            .Where(s => !string.IsNullOrWhiteSpace(settings.GetValueOrDefault(s.Key)))
            .Select(s => s.Key + "=" + (s.Secret ? "***" : settings[s.Key])));

    private static string Redact(string message, PluginDescription description, Dictionary<string, string?> settings)
    {
        foreach (PluginSetting setting in description.Settings)
        {
            if (setting.Secret && settings.GetValueOrDefault(setting.Key) is { Length: > 0 } secret)
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Evidence store: plugin {Plugin} {Version} ({Settings})")]
        public static partial void InUse(ILogger logger, string plugin, string version, string settings);
    }
}
