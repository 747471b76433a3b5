using System.Reflection;
using System.Runtime.Loader;
using Relay.Plugins.Abstractions;

namespace Relay.Plugins.Hosting;

/// <summary>
/// One plugin's assemblies: its own dll and its private dependencies, resolved through its .deps.json.
/// Relay.Plugins.Abstractions and the framework come from the host's context, so <see cref="IRelayPlugin"/>
/// seen by the plugin is the host's type and the cast works.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private static readonly string s_abstractionsName = typeof(IRelayPlugin).Assembly.GetName().Name!;

    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string mainAssemblyPath)
        : base(name: "plugin:" + Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Shared with the host whatever version the plugin was built against: a private copy would
        // make a second IRelayPlugin type that the host cannot cast to.
        if (string.Equals(assemblyName.Name, s_abstractionsName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is not null && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is not null ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
