namespace Relay.Plugins.Abstractions;

/// <summary>What a plugin is and the settings it needs, for the host's checks and the portal's plugin page.</summary>
/// <param name="Name">Stable, unique name, used in configuration (<c>Relay:Sms:Provider</c>, say).</param>
/// <param name="Version">The plugin's version.</param>
/// <param name="Summary">One line for people: what it connects to.</param>
/// <param name="Settings">Every setting it reads.</param>
public sealed record PluginDescription(string Name, string Version, string Summary, IReadOnlyList<PluginSetting> Settings);
