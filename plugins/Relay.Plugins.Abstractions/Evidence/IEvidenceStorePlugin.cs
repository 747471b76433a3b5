namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>A plugin that provides an evidence store: the host creates one store from the plugin's settings.</summary>
public interface IEvidenceStorePlugin : IRelayPlugin
{
    /// <summary>
    /// A store configured from <paramref name="settings"/> (the plugin's configuration section, flat key
    /// to value). Throws <see cref="ArgumentException"/> naming the setting when one is missing or invalid.
    /// </summary>
    IEvidenceStore CreateStore(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time);
}
