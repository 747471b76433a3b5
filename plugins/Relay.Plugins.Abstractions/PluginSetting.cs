namespace Relay.Plugins.Abstractions;

/// <summary>One setting a plugin reads from its configuration section.</summary>
/// <param name="Key">The key within the plugin's section.</param>
/// <param name="Description">What it is, for the person configuring it.</param>
/// <param name="Required">Whether the plugin cannot work without it.</param>
/// <param name="Secret">Never shown back (API keys, tokens): write-only in the portal, never logged.</param>
public sealed record PluginSetting(string Key, string Description, bool Required, bool Secret);
