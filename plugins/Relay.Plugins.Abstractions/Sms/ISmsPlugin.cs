namespace Relay.Plugins.Abstractions.Sms;

/// <summary>A plugin that can send SMS: the host creates one sender from the plugin's settings.</summary>
public interface ISmsPlugin : IRelayPlugin
{
    /// <summary>
    /// A sender configured from <paramref name="settings"/> (the plugin's configuration section, flat
    /// key to value). Throws <see cref="ArgumentException"/> naming the setting when one is missing or invalid.
    /// </summary>
    ISmsSender CreateSender(IReadOnlyDictionary<string, string?> settings, HttpClient http, TimeProvider time);
}
