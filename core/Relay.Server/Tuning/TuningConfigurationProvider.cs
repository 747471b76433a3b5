namespace Relay.Server.Tuning;

/// <summary>
/// The tuned settings as configuration keys. <see cref="Replace"/> swaps them all and fires the
/// reload token, so every <c>IOptionsMonitor&lt;T&gt;</c> bound to configuration sees the new values
/// at its next <c>CurrentValue</c>, without a restart.
/// </summary>
internal sealed class TuningConfigurationProvider : ConfigurationProvider
{
    // The data is set by Replace, from the database, after the host is built: a rebuild of the
    // configuration (which calls Load) must not forget it.
    public override void Load()
    {
    }

    /// <summary>Makes <paramref name="values"/> the tuned keys, and tells the configuration's listeners.</summary>
    public void Replace(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string value) in values)
        {
            data[key] = value;
        }

        Data = data;
        OnReload();
    }
}
