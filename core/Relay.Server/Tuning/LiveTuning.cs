using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Primitives;
using Relay.Control.Tuning;
using Relay.Portal.Node;

namespace Relay.Server.Tuning;

/// <summary>
/// The settings an engineer changes while the relay runs. A change is checked by binding the
/// setting's options class from the configuration as it would be with the change and running the
/// relay's own validators on it; then it is stored and audited (<see cref="TuningStore"/>) and put in
/// the <see cref="TuningConfigurationProvider"/>, whose reload reaches every
/// <c>IOptionsMonitor&lt;T&gt;</c>. At start the stored changes are loaded the same way.
/// </summary>
/// <remarks>
/// A value set by an environment variable or a command-line argument wins over one changed here (it
/// is what whoever deployed the relay decided, and it must not silently stop working): such a
/// setting is shown as set by the environment and a change to it is refused.
/// </remarks>
internal sealed partial class LiveTuning : IPortalTuning, IDisposable
{
    private readonly IConfigurationRoot _configuration;
    private readonly TuningConfigurationSource _source;
    private readonly TuningStore _store;
    private readonly IServiceProvider _services;
    private readonly ILogger<LiveTuning> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, TuningOverride> _tuned = new(StringComparer.OrdinalIgnoreCase);

    public LiveTuning(IConfiguration configuration, TuningConfigurationSource source, TuningStore store, IServiceProvider services, ILogger<LiveTuning> logger)
    {
        _configuration = configuration as IConfigurationRoot
            ?? throw new ArgumentException("Tuning needs the host's configuration root, to layer its values over the files.", nameof(configuration));
        _source = source;
        _store = store;
        _services = services;
        _logger = logger;
    }

    /// <summary>A setting was changed here (its key): in a cluster the other nodes are told to reload.</summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Loads the stored changes (at start, after the database is migrated; in a cluster again whenever another node
    /// changed one, and periodically) and applies those still valid. Returns whether anything differed from what was applied;
    /// when nothing did, the configuration is left alone (no reload reaches the options' listeners).
    /// </summary>
    public async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<TuningOverride> stored = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tuned = new Dictionary<string, TuningOverride>(StringComparer.OrdinalIgnoreCase);
            foreach (TuningOverride item in stored)
            {
                TunableSetting? setting = TunableSettings.Find(item.Key);
                if (setting is null)
                {
                    Log.UnknownStored(_logger, item.Key);
                    continue;
                }

                if (IsSetByEnvironment(setting))
                {
                    Log.OverriddenByEnvironment(_logger, item.Key, item.Value);
                    continue;
                }

                var proposed = new Dictionary<string, TuningOverride>(tuned, StringComparer.OrdinalIgnoreCase) { [setting.Key] = item };
                List<string> failures = Check(setting, proposed);
                if (setting.Normalise(item.Value, out _) is null || failures.Count > 0)
                {
                    Log.StoredInvalid(_logger, item.Key, item.Value, string.Join(" ", failures));
                    continue;
                }

                tuned[setting.Key] = item;
            }

            if (Same(tuned, _tuned))
            {
                return false;
            }

            Apply(tuned);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<TuningSetting>> ListAsync(CancellationToken cancellationToken = default)
    {
        var settings = new List<TuningSetting>(TunableSettings.All.Count);
        foreach (TunableSetting setting in TunableSettings.All)
        {
            settings.Add(Describe(setting));
        }

        return Task.FromResult<IReadOnlyList<TuningSetting>>(settings);
    }

    public async Task<TuningOutcome> ChangeAsync(string key, string? value, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        TunableSetting? setting = TunableSettings.Find(key);
        if (setting is null)
        {
            return new TuningOutcome(TuningOutcomeKind.UnknownSetting, $"There is no setting '{Shorten(key)}' that can be changed in operation; GET /api/tuning lists those that can.", null, null);
        }

        if (IsSetByEnvironment(setting))
        {
            return new TuningOutcome(
                TuningOutcomeKind.SetByEnvironment,
                $"{setting.Key} ({setting.Name}) is set by the environment (an environment variable or command-line argument), which wins over a change made here; it cannot be changed here. Change it where the relay is deployed.",
                null,
                Describe(setting));
        }

        string? normalised = null;
        if (value is not null)
        {
            normalised = setting.Normalise(value, out string? problem);
            if (normalised is null)
            {
                return Invalid("value", problem!);
            }
        }

        if (TuningStore.ReasonProblem(reason) is { } reasonProblem)
        {
            return Invalid("reason", reasonProblem);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (normalised is null && !_tuned.ContainsKey(setting.Key))
            {
                return Invalid("value", $"{setting.Key} ({setting.Name}) has not been changed here, so there is no change to undo; it has its configured value.");
            }

            var proposed = new Dictionary<string, TuningOverride>(_tuned, StringComparer.OrdinalIgnoreCase);
            if (normalised is null)
            {
                proposed.Remove(setting.Key);
            }
            else
            {
                proposed[setting.Key] = new TuningOverride(setting.Key, normalised, DateTimeOffset.MinValue, actor);
            }

            List<string> failures = Check(setting, proposed);
            if (failures.Count > 0)
            {
                return Invalid("value", string.Join(" ", failures));
            }

            string before = setting.ReadCurrent(_services);
            string after;
            using (ConfigurationRoot configuration = Compose(proposed))
            {
                after = setting.ReadFrom(configuration);
            }

            await _store.ChangeAsync(new TuningChange(setting.Key, before, after, normalised), actor, reason!.Trim(), cancellationToken).ConfigureAwait(false);
            if (normalised is not null)
            {
                // The stored time, not the one above: read back so the page shows what the database holds.
                foreach (TuningOverride stored in await _store.ListAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (string.Equals(stored.Key, setting.Key, StringComparison.OrdinalIgnoreCase))
                    {
                        proposed[setting.Key] = stored;
                    }
                }
            }

            Apply(proposed);
            Log.Changed(_logger, setting.Key, before, after, actor);
            Changed?.Invoke(setting.Key);
            string message = normalised is null
                ? $"{setting.Name} is back to its configured value, {after} (was {before}). {setting.AppliesTo}"
                : $"{setting.Name} is now {after} (was {before}). {setting.AppliesTo}";
            return new TuningOutcome(TuningOutcomeKind.Changed, message, null, Describe(setting));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static bool Same(Dictionary<string, TuningOverride> a, Dictionary<string, TuningOverride> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach ((string key, TuningOverride value) in a)
        {
            if (!b.TryGetValue(key, out TuningOverride? other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    private static TuningOutcome Invalid(string field, string message) =>
        new(TuningOutcomeKind.Invalid, message, field, null);

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "...");

    private TuningSetting Describe(TunableSetting setting)
    {
        TuningSource source;
        TuningOverride? tuned = null;
        if (IsSetByEnvironment(setting))
        {
            source = TuningSource.Environment;
        }
        else if (_tuned.TryGetValue(setting.Key, out tuned))
        {
            source = TuningSource.Tuned;
        }
        else
        {
            (int mine, IReadOnlyList<IConfigurationProvider> providers) = Layers();
            source = TuningSource.Default;
            for (int i = 0; i < mine; i++)
            {
                if (Holds(providers[i], setting.Key))
                {
                    source = TuningSource.ConfigurationFile;
                }
            }
        }

        return new TuningSetting(
            setting.Key,
            setting.Name,
            setting.Group,
            setting.Description,
            setting.Format,
            setting.ReadCurrent(_services),
            source,
            setting.AppliesTo,
            tuned?.ChangedBy,
            tuned?.ChangedAt);
    }

    /// <summary>Whether a source above the tuned values (environment, command line) sets the setting.</summary>
    private bool IsSetByEnvironment(TunableSetting setting)
    {
        (int mine, IReadOnlyList<IConfigurationProvider> providers) = Layers();
        for (int i = mine + 1; i < providers.Count; i++)
        {
            if (Holds(providers[i], setting.Key))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(IConfigurationProvider provider, string key) =>
        provider.TryGet(key, out _) || provider.GetChildKeys([], key).Any();

    private (int Mine, IReadOnlyList<IConfigurationProvider> Providers) Layers()
    {
        IConfigurationProvider[] providers = [.. _configuration.Providers];
        for (int i = 0; i < providers.Length; i++)
        {
            if (ReferenceEquals(providers[i], _source.Provider))
            {
                return (i, providers);
            }
        }

        throw new InvalidOperationException("The tuning configuration source is not in the host's configuration; AddRelayTuning adds it.");
    }

    /// <summary>The rules broken with <paramref name="proposed"/> as the tuned values; those about <paramref name="setting"/> first.</summary>
    private List<string> Check(TunableSetting setting, Dictionary<string, TuningOverride> proposed)
    {
        List<string> failures;
        using (ConfigurationRoot configuration = Compose(proposed))
        {
            failures = setting.Check(_services, configuration);
        }

        // Every failure refuses the change (a monitor whose options fail validation throws at every
        // read); those naming the setting are what the engineer needs to read first.
        failures.Sort((a, b) => Names(b, setting).CompareTo(Names(a, setting)));
        return failures;

        static bool Names(string failure, TunableSetting setting) => failure.Contains(setting.Key, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The configuration as it would be with <paramref name="tuned"/> as the tuned values: the same sources, in the same order.</summary>
    private ConfigurationRoot Compose(Dictionary<string, TuningOverride> tuned)
    {
        (int mine, IReadOnlyList<IConfigurationProvider> providers) = Layers();
        var below = new List<IConfigurationProvider>(mine);
        for (int i = 0; i < mine; i++)
        {
            below.Add(new FrozenView(providers[i]));
        }

        var layers = new List<IConfigurationProvider>(providers.Count);
        layers.AddRange(below);
        using (var belowRoot = new ConfigurationRoot(below))
        {
            layers.Add(new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = Flatten(tuned, belowRoot) }));
        }

        for (int i = mine + 1; i < providers.Count; i++)
        {
            layers.Add(new FrozenView(providers[i]));
        }

        return new ConfigurationRoot(layers);
    }

    private void Apply(Dictionary<string, TuningOverride> tuned)
    {
        (int mine, IReadOnlyList<IConfigurationProvider> providers) = Layers();
        var below = new List<IConfigurationProvider>(mine);
        for (int i = 0; i < mine; i++)
        {
            below.Add(new FrozenView(providers[i]));
        }

        Dictionary<string, string?> data;
        using (var belowRoot = new ConfigurationRoot(below))
        {
            data = Flatten(tuned, belowRoot);
        }

        _tuned = tuned;
        var values = new Dictionary<string, string>(data.Count, StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string? value) in data)
        {
            values[key] = value ?? "";
        }

        _source.Provider.Replace(values);
    }

    private static Dictionary<string, string?> Flatten(Dictionary<string, TuningOverride> tuned, IConfiguration below)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (TuningOverride item in tuned.Values)
        {
            TunableSetting? setting = TunableSettings.Find(item.Key);
            string? value = setting?.Normalise(item.Value, out _);
            if (setting is null || value is null)
            {
                continue;
            }

            foreach (KeyValuePair<string, string> pair in setting.ToConfiguration(value, below))
            {
                data[pair.Key] = pair.Value;
            }
        }

        return data;
    }

    /// <summary>
    /// One of the host's providers, read as it is now: loading it again (a file read, the
    /// environment) and its reload token are not the proposal's business.
    /// </summary>
    private sealed class FrozenView(IConfigurationProvider inner) : IConfigurationProvider
    {
        public bool TryGet(string key, out string? value) => inner.TryGet(key, out value);

        public void Set(string key, string? value)
        {
        }

        public IChangeToken GetReloadToken() => new CancellationChangeToken(CancellationToken.None);

        public void Load()
        {
        }

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) => inner.GetChildKeys(earlierKeys, parentPath);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Tuning: {Key} changed from {Before} to {After} by {Actor}")]
        public static partial void Changed(ILogger logger, string key, string before, string after, string actor);

        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Tuning: the stored value of {Key} is not used: no such setting can be tuned in this version")]
        public static partial void UnknownStored(ILogger logger, string key);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Tuning: the stored value {Value} of {Key} is not used: the environment or command line sets it, and wins")]
        public static partial void OverriddenByEnvironment(ILogger logger, string key, string value);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "Tuning: the stored value {Value} of {Key} is not used, as it breaks a rule now: {Failures}")]
        public static partial void StoredInvalid(ILogger logger, string key, string value, string failures);
    }
}
