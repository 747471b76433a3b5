using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting.Sms;

namespace Relay.Plugins.Hosting;

/// <summary>
/// The plugins the host found at start: each folder under the plugins folder holds one plugin (its dll,
/// .deps.json and private dependencies) and is loaded into its own collectible
/// <see cref="System.Runtime.Loader.AssemblyLoadContext"/>, sharing only Relay.Plugins.Abstractions and
/// the framework with the host. A broken plugin is listed in <see cref="Failures"/> and logged, never fatal.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private readonly ILogger _logger;
    private readonly List<LoadedPlugin> _plugins;
    private readonly Lock _failuresLock = new();
    private List<PluginLoadFailure> _failures;

    private PluginCatalog(string pluginsDirectory, List<LoadedPlugin> plugins, List<PluginLoadFailure> failures, ILogger logger)
    {
        PluginsDirectory = pluginsDirectory;
        _plugins = plugins;
        _failures = failures;
        _logger = logger;
    }

    /// <summary>The folder the plugins were loaded from.</summary>
    public string PluginsDirectory { get; }

    /// <summary>The plugins that loaded, in folder order.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins => _plugins;

    /// <summary>Every plugin that could not be loaded or configured, with the reason.</summary>
    public IReadOnlyList<PluginLoadFailure> Failures
    {
        get
        {
            lock (_failuresLock)
            {
                return _failures;
            }
        }
    }

    /// <summary>Loads every plugin folder under <paramref name="pluginsDirectory"/>. Never throws for a broken plugin; a missing folder loads none.</summary>
    public static PluginCatalog Load(string pluginsDirectory, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginsDirectory);
        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PluginCatalog>();
        string directory = Path.GetFullPath(pluginsDirectory);
        var loaded = new List<LoadedPlugin>();
        var failures = new List<PluginLoadFailure>();
        if (!Directory.Exists(directory))
        {
            PluginLog.NoPluginsFolder(logger, directory);
            return new PluginCatalog(directory, loaded, failures, logger);
        }

        string[] folders = Directory.GetDirectories(directory);
        Array.Sort(folders, StringComparer.Ordinal);
        var plugins = new List<LoadedPlugin>();
        foreach (string folder in folders)
        {
            int failuresBefore = failures.Count;
            loaded.Clear();
            PluginLoader.LoadFolder(folder, loaded, failures);
            foreach (LoadedPlugin plugin in loaded)
            {
                LoadedPlugin? same = plugins.Find(p => string.Equals(p.Name, plugin.Name, StringComparison.OrdinalIgnoreCase));
                if (same is not null)
                {
                    failures.Add(new PluginLoadFailure(folder, $"Plugin name '{plugin.Name}' is already taken by {same.AssemblyPath}; this copy ({plugin.AssemblyPath}) is not loaded. Remove one of the two folders."));
                    continue;
                }

                plugins.Add(plugin);
                PluginLog.Loaded(logger, plugin.Name, plugin.Version, plugin.AssemblyPath, plugin.LoadContext.Name);
            }

            for (int i = failuresBefore; i < failures.Count; i++)
            {
                PluginLog.NotLoaded(logger, failures[i].Source, failures[i].Message);
            }
        }

        return new PluginCatalog(directory, plugins, failures, logger);
    }

    /// <summary>The loaded plugin of that name (names are case-insensitive), or null.</summary>
    public LoadedPlugin? Find(string name) =>
        _plugins.Find(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A sender through the SMS plugin named <paramref name="provider"/>, configured with <paramref name="settings"/>
    /// (its section, key to value). Never throws: when the plugin is missing, not an SMS plugin, lacks a
    /// required setting or refuses the settings, the failure is recorded and logged, and the sender refuses
    /// every message with that reason. The returned sender logs each send and turns a plugin's exceptions into refusals.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A plugin that fails to configure must not stop the host.")]
    public ISmsSender CreateSmsSender(string provider, IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);

        LoadedPlugin? plugin = Find(provider);
        if (plugin is null)
        {
            string loaded = _plugins.Count == 0 ? "none" : string.Join(", ", _plugins.Select(static p => p.Name));
            return Unavailable(provider, null, $"No SMS provider named '{provider}' is loaded from {PluginsDirectory} (loaded: {loaded}). An engineer should fix Relay:Sms:Provider or install the plugin.");
        }

        if (plugin.Instance is not ISmsPlugin sms)
        {
            return Unavailable(provider, plugin, $"Plugin '{plugin.Name}' cannot send SMS. An engineer should set Relay:Sms:Provider to an SMS plugin.");
        }

        var secrets = new SecretRedactor(plugin.Description, settings);
        var missing = plugin.Description.Settings
            .Where(s => s.Required && (!settings.TryGetValue(s.Key, out string? value) || string.IsNullOrWhiteSpace(value)))
            .Select(static s => s.Key)
            .ToList();
        if (missing.Count > 0)
        {
            return Unavailable(provider, plugin, $"SMS provider '{plugin.Name}' needs {string.Join(", ", missing.Select(k => $"Relay:Sms:Providers:{plugin.Name}:{k}"))}. An engineer should set {(missing.Count == 1 ? "it" : "them")}.");
        }

        ISmsSender sender;
        try
        {
            sender = sms.CreateSender(settings, http, time);
        }
        catch (Exception e)
        {
            return Unavailable(provider, plugin, secrets.Redact($"SMS provider '{plugin.Name}' refused its settings: {e.Message}"));
        }

        string described = secrets.Describe(settings);
        PluginLog.SmsProviderInUse(_logger, plugin.Name, plugin.Version, described);
        plugin.Health = PluginHealth.Ok("In use as the SMS provider.");
        return new GuardedSmsSender(sender, plugin, secrets, _logger);
    }

    /// <summary>
    /// Null when the SMS plugin named <paramref name="provider"/> accepts <paramref name="settings"/> (every required
    /// setting given, and the plugin's own checks pass); otherwise why not, in words for an engineer, with no secret's value.
    /// Nothing is sent: the plugin only builds a sender, which is thrown away.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A plugin's refusal is reported, never thrown into the host.")]
    public string? CheckSmsSettings(string provider, IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(settings);
        LoadedPlugin? plugin = Find(provider);
        if (plugin?.Instance is not ISmsPlugin sms)
        {
            return $"'{provider}' is not a loaded SMS plugin.";
        }

        var secrets = new SecretRedactor(plugin.Description, settings);
        var missing = plugin.Description.Settings
            .Where(s => s.Required && (!settings.TryGetValue(s.Key, out string? value) || string.IsNullOrWhiteSpace(value)))
            .Select(static s => s.Key)
            .ToList();
        if (missing.Count > 0)
        {
            return $"{plugin.Name} needs {string.Join(", ", missing)}.";
        }

        using var http = new HttpClient();
        try
        {
            (sms.CreateSender(settings, http, TimeProvider.System) as IDisposable)?.Dispose();
            return null;
        }
        catch (Exception e)
        {
            return secrets.Redact($"{plugin.Name} refuses these settings: {e.Message}");
        }
    }

    /// <summary>Unloads every plugin's context (their types stay usable until nothing references them).</summary>
    public void Dispose()
    {
        foreach (LoadedPlugin plugin in _plugins)
        {
            plugin.LoadContext.Unload();
        }
    }

    private UnavailableSmsSender Unavailable(string provider, LoadedPlugin? plugin, string reason)
    {
        lock (_failuresLock)
        {
            _failures = [.. _failures, new PluginLoadFailure(provider, reason)];
        }

        PluginLog.SmsProviderUnavailable(_logger, provider, reason);
        if (plugin is not null)
        {
            plugin.Health = PluginHealth.Failing(reason);
        }

        return new UnavailableSmsSender(reason);
    }
}
