namespace Relay.Control.Plugins;

/// <summary>A plugin setting changed on the Plugins page: its value, and who changed it when.</summary>
/// <param name="Plugin">The plugin's name (case-insensitive).</param>
/// <param name="Key">The setting's key within the plugin's settings (case-insensitive).</param>
/// <param name="Value">The value; for a secret setting, never shown or logged.</param>
public sealed record PluginSettingOverride(string Plugin, string Key, string Value, DateTimeOffset ChangedAt, string ChangedBy);
