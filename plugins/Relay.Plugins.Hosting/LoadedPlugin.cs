using System.Runtime.Loader;
using Relay.Plugins.Abstractions;

namespace Relay.Plugins.Hosting;

/// <summary>A plugin that loaded: what it says it is, where it came from, and how it is doing.</summary>
public sealed class LoadedPlugin
{
    private volatile PluginHealth _health = PluginHealth.Ok("Loaded; not in use.");

    internal LoadedPlugin(IRelayPlugin instance, PluginDescription description, string assemblyPath, AssemblyLoadContext loadContext)
    {
        Instance = instance;
        Description = description;
        AssemblyPath = assemblyPath;
        LoadContext = loadContext;
    }

    public PluginDescription Description { get; }

    public string Name => Description.Name;

    public string Version => Description.Version;

    /// <summary>The plugin's main assembly.</summary>
    public string AssemblyPath { get; }

    /// <summary>The plugin's instance: cast to the capability interface (<see cref="Abstractions.Sms.ISmsPlugin"/>).</summary>
    public IRelayPlugin Instance { get; }

    /// <summary>The plugin's own context: its assembly and its private dependencies live here.</summary>
    public AssemblyLoadContext LoadContext { get; }

    /// <summary>The last known health: from its latest health check or its configuration.</summary>
    public PluginHealth Health
    {
        get => _health;
        internal set => _health = value;
    }
}
