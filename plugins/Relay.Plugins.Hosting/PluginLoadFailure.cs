namespace Relay.Plugins.Hosting;

/// <summary>A plugin that could not be loaded or configured, and why, in words an engineer can act on.</summary>
/// <param name="Source">The plugin's folder, or its name when the failure came when configuring it.</param>
/// <param name="Message">What went wrong and what to do. Never holds a secret setting's value.</param>
public sealed record PluginLoadFailure(string Source, string Message);
