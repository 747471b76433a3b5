using Microsoft.Extensions.Configuration;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Plugins.Hosting.Sms;

/// <summary>
/// The SMS sender the host uses (<c>Relay:Sms:Provider</c>'s plugin), which can be reloaded with changed
/// settings while the relay runs: <see cref="Reload"/> builds a new sender from the configured settings with
/// the changes laid over them and sends every later message through it. A send already under way finishes
/// on the sender it started with; replaced senders are disposed with the provider.
/// </summary>
public sealed class SmsProvider : ISmsSender, IDisposable
{
    private readonly PluginCatalog _catalog;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly Lock _lock = new();
    private readonly List<ISmsSender> _replaced = [];
    private volatile ISmsSender? _current;

    public SmsProvider(PluginCatalog catalog, IConfiguration configuration, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(time);
        _catalog = catalog;
        _configuration = configuration;
        _time = time;
        Name = SmsConfiguration.GetProvider(configuration);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = SmsConfiguration.GetTimeout(configuration),
        };
    }

    /// <summary>The plugin in use (<c>Relay:Sms:Provider</c>).</summary>
    public string Name { get; }

    /// <summary>The sender in use now: built from the configured settings at first use unless <see cref="Reload"/> came first.</summary>
    public ISmsSender Current
    {
        get
        {
            if (_current is { } current)
            {
                return current;
            }

            lock (_lock)
            {
                return _current ??= _catalog.CreateSmsSender(Name, SmsConfiguration.GetSettings(_configuration, Name), _http, _time);
            }
        }
    }

    /// <summary>
    /// Rebuilds the sender from the configured settings with <paramref name="changed"/> laid over them (key to value,
    /// case-insensitive). Never throws: settings the plugin refuses leave a sender that refuses every message with the
    /// reason (as at start), so check them with <see cref="PluginCatalog.CheckSmsSettings"/> first.
    /// </summary>
    public void Reload(IReadOnlyDictionary<string, string> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ISmsSender next = _catalog.CreateSmsSender(Name, Merge(_configuration, Name, changed), _http, _time);
        lock (_lock)
        {
            if (_current is not null)
            {
                _replaced.Add(_current);
            }

            _current = next;
        }
    }

    /// <summary>The settings <paramref name="plugin"/> is configured with, and <paramref name="changed"/> laid over them.</summary>
    public static IReadOnlyDictionary<string, string?> Merge(IConfiguration configuration, string plugin, IReadOnlyDictionary<string, string> changed)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(changed);
        var settings = new Dictionary<string, string?>(SmsConfiguration.GetSettings(configuration, plugin), StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> setting in changed)
        {
            settings[setting.Key] = setting.Value;
        }

        return settings;
    }

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) => Current.SendAsync(message, cancellationToken);

    public Task<SmsDeliveryReport> GetDeliveryStatusAsync(string providerMessageId, CancellationToken cancellationToken) => Current.GetDeliveryStatusAsync(providerMessageId, cancellationToken);

    public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => Current.CheckHealthAsync(cancellationToken);

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (ISmsSender sender in _replaced)
            {
                (sender as IDisposable)?.Dispose();
            }

            _replaced.Clear();
            (_current as IDisposable)?.Dispose();
        }

        _http.Dispose();
    }
}
