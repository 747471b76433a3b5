using Relay.Control.Plugins;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting;
using Relay.Plugins.Hosting.Sms;
using Relay.Portal.Node;
using Relay.Server.Evidence.Store;

namespace Relay.Server.Portal;

/// <summary>
/// The plugins' configuration for the Plugins page and <c>/api/plugins</c>. An SMS plugin's settings
/// (<c>Relay:Sms:Providers:&lt;name&gt;</c>) can be changed: the value is checked by the plugin itself (it builds
/// a sender from the settings as they would be, sending nothing), stored and audited
/// (<see cref="PluginSettingsStore"/>), and, for the provider in use, applied at once by reloading it
/// (<see cref="SmsProvider.Reload"/>). The evidence store's settings are shown but changed only in the
/// relay's configuration: recordings are being uploaded through it.
/// </summary>
/// <remarks>
/// A value changed here wins over the configuration files, the environment and the command line: it is
/// the later, audited decision of an engineer (rotating a provider's token, say), and the page says where
/// each value comes from. Secret values never leave this class: not in <see cref="PluginSettingValue"/>,
/// a message, a log line or the audit log.
/// </remarks>
internal sealed partial class PortalPluginSettings(
    PluginCatalog catalog,
    SmsProvider sms,
    IConfiguration configuration,
    PluginSettingsStore store,
    ILogger<PortalPluginSettings> logger) : IPortalPluginSettings, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyList<PluginSettingOverride> _changed = [];

    /// <summary>Loads the stored changes (at start, after the database is migrated) and builds the SMS provider with them.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _changed = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        sms.Reload(ChangedOf(sms.Name));
    }

    public Task<IReadOnlyList<PluginConfiguration>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<PluginConfiguration>();
        foreach (LoadedPlugin plugin in catalog.Plugins)
        {
            list.Add(Describe(plugin));
        }

        return Task.FromResult<IReadOnlyList<PluginConfiguration>>(list);
    }

    public async Task<PluginSettingOutcome> ChangeAsync(string plugin, string key, string? value, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        LoadedPlugin? loaded = catalog.Find(plugin);
        if (loaded is null)
        {
            return new PluginSettingOutcome(PluginSettingResult.UnknownPlugin, $"No plugin named '{Shorten(plugin)}' is loaded; GET /api/plugins lists those that are.", null, null);
        }

        PluginSetting? setting = loaded.Description.Settings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
        if (setting is null)
        {
            return new PluginSettingOutcome(
                PluginSettingResult.UnknownSetting,
                $"{loaded.Name} has no setting '{Shorten(key)}'; its settings are {string.Join(", ", loaded.Description.Settings.Select(static s => s.Key))}.",
                null,
                null);
        }

        if (loaded.Instance is not ISmsPlugin)
        {
            return new PluginSettingOutcome(PluginSettingResult.NotEditable, AppliesTo(loaded), null, null);
        }

        // Never echo the value in a message: it may be a secret typed into the wrong box.
        string? trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return Invalid("value", $"Give a value for {setting.Key}.");
        }

        if (trimmed.Length > PluginSettingsStore.MaxValueLength)
        {
            return Invalid("value", $"{setting.Key} is at most {PluginSettingsStore.MaxValueLength} characters; this one has {trimmed.Length}.");
        }

        if (trimmed.Any(char.IsControl))
        {
            return Invalid("value", $"{setting.Key} may not contain control characters or line breaks.");
        }

        if (PluginSettingsStore.ReasonProblem(reason) is { } reasonProblem)
        {
            return Invalid("reason", reasonProblem);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Dictionary<string, string> proposed = ChangedOf(loaded.Name);
            proposed[setting.Key] = trimmed;
            if (catalog.CheckSmsSettings(loaded.Name, SmsProvider.Merge(configuration, loaded.Name, proposed)) is { } refused)
            {
                return Invalid("value", $"Not changed: {refused}");
            }

            string? before = setting.Secret ? null : Current(loaded.Name, setting.Key);
            await store.ChangeAsync(new PluginSettingChange(loaded.Name, setting.Key, setting.Secret, before, trimmed), actor, reason!.Trim(), cancellationToken).ConfigureAwait(false);
            _changed = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            bool applied = string.Equals(loaded.Name, sms.Name, StringComparison.OrdinalIgnoreCase);
            if (applied)
            {
                sms.Reload(ChangedOf(loaded.Name));
            }

            Log.Changed(logger, loaded.Name, setting.Key, setting.Secret, actor, applied);
            string what = setting.Secret
                ? $"{setting.Key} of {loaded.Name} is replaced (a secret: its value is not shown)."
                : $"{setting.Key} of {loaded.Name} is now {trimmed} (was {before ?? "not set"}).";
            return new PluginSettingOutcome(PluginSettingResult.Changed, $"{what} {AppliesTo(loaded)}", null, Describe(loaded).Settings.First(s => s.Key == setting.Key));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static PluginSettingOutcome Invalid(string field, string message) => new(PluginSettingResult.Invalid, message, field, null);

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "...");

    private PluginConfiguration Describe(LoadedPlugin plugin)
    {
        bool editable = plugin.Instance is ISmsPlugin;
        IReadOnlyDictionary<string, string?> configured = plugin.Instance switch
        {
            ISmsPlugin => SmsConfiguration.GetSettings(configuration, plugin.Name),
            IEvidenceStorePlugin => EvidenceStoreConfiguration.GetSettings(configuration, plugin.Name),
            _ => new Dictionary<string, string?>(),
        };
        var settings = new List<PluginSettingValue>(plugin.Description.Settings.Count);
        foreach (PluginSetting setting in plugin.Description.Settings)
        {
            PluginSettingOverride? changed = editable ? Find(plugin.Name, setting.Key) : null;
            string? value = changed?.Value ?? configured.GetValueOrDefault(setting.Key);
            bool isSet = !string.IsNullOrWhiteSpace(value);
            settings.Add(new PluginSettingValue(
                setting.Key,
                setting.Description,
                setting.Required,
                setting.Secret,
                isSet,
                setting.Secret || !isSet ? null : value,
                changed is not null,
                changed?.ChangedBy,
                changed?.ChangedAt));
        }

        return new PluginConfiguration(plugin.Name, editable, AppliesTo(plugin), settings);
    }

    private string AppliesTo(LoadedPlugin plugin) => plugin.Instance switch
    {
        ISmsPlugin when string.Equals(plugin.Name, sms.Name, StringComparison.OrdinalIgnoreCase) =>
            "A change applies at once: the SMS provider is reloaded with it (a message being sent finishes with the old settings).",
        ISmsPlugin =>
            $"A change is stored now and used when this plugin is the SMS provider (Relay:Sms:Provider is {sms.Name}).",
        IEvidenceStorePlugin =>
            $"Set in the relay's configuration ({EvidenceStoreConfiguration.Section}:{plugin.Name}:<key>) and applied at its next start: recordings are uploaded through it, so it is not changed here.",
        _ => "This plugin is not configured by the relay.",
    };

    private string? Current(string plugin, string key) =>
        Find(plugin, key)?.Value ?? SmsConfiguration.GetSettings(configuration, plugin).GetValueOrDefault(key);

    private PluginSettingOverride? Find(string plugin, string key) =>
        _changed.FirstOrDefault(c => string.Equals(c.Plugin, plugin, StringComparison.OrdinalIgnoreCase) && string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));

    private Dictionary<string, string> ChangedOf(string plugin)
    {
        var changed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (PluginSettingOverride item in _changed)
        {
            if (string.Equals(item.Plugin, plugin, StringComparison.OrdinalIgnoreCase))
            {
                changed[item.Key] = item.Value;
            }
        }

        return changed;
    }

    private static partial class Log
    {
        // Never the value: the key says what changed, the audit log has the rest (for a secret, only that it changed).
        [LoggerMessage(EventId = 640, Level = LogLevel.Information, Message = "Plugin setting {Plugin}:{Key} changed by {Actor} (secret: {Secret}; applied now: {Applied})")]
        public static partial void Changed(ILogger logger, string plugin, string key, bool secret, string actor, bool applied);
    }
}
