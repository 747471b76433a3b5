namespace Relay.Control.Plugins;

/// <summary>One change to a plugin setting, as the store keeps and audits it.</summary>
/// <param name="Plugin">The plugin's name.</param>
/// <param name="Key">The setting's key.</param>
/// <param name="Secret">Whether the plugin declares the setting secret: then the audit log records only that it changed.</param>
/// <param name="Before">The value in effect before (not read for a secret).</param>
/// <param name="Value">The new value.</param>
public sealed record PluginSettingChange(string Plugin, string Key, bool Secret, string? Before, string Value);
