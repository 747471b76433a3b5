using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting;

namespace Relay.Plugins.Tests.Support;

/// <summary>The real providers, loaded once from the build's plugins folder into their own contexts, as the host loads them.</summary>
public static class BuiltProviders
{
    private static readonly Lazy<PluginCatalog> s_catalog = new(static () =>
    {
        string folder = Path.Combine(Path.GetTempPath(), "relay-built-plugins-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        {
            foreach (string provider in PluginFolders.Providers)
            {
                string target = Directory.CreateDirectory(Path.Combine(folder, provider)).FullName;
                foreach (string file in Directory.GetFiles(Path.Combine(PluginFolders.Built, provider)))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
                }
            }
        }

        return PluginCatalog.Load(folder);
    });

    public static ISmsPlugin Get(string name)
    {
        LoadedPlugin plugin = s_catalog.Value.Find(name) ?? throw new InvalidOperationException($"Plugin {name} did not load: {string.Join("; ", s_catalog.Value.Failures)}");
        return Assert.IsAssignableFrom<ISmsPlugin>(plugin.Instance);
    }

    public static ISmsSender CreateSender(string name, Dictionary<string, string?> settings, HttpClient http, TimeProvider? time = null) =>
        Get(name).CreateSender(new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase), http, time ?? TimeProvider.System);
}
