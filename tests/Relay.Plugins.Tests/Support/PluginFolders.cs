using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Relay.Plugins.Hosting;

namespace Relay.Plugins.Tests.Support;

/// <summary>
/// A temporary plugins folder built from the real plugin build outputs (copied into this test project's
/// output under plugins/ by its build), so each test arranges exactly the folders it needs.
/// </summary>
public sealed class PluginFolders : IDisposable
{
    public const string Outbox = "Relay.Plugins.Sms.Outbox";
    public const string Twilio = "Relay.Plugins.Sms.Twilio";
    public const string Vonage = "Relay.Plugins.Sms.Vonage";
    public const string GovUkNotify = "Relay.Plugins.Sms.GovUkNotify";
    public const string Fixture = "Relay.Plugins.Tests.Fixture";

    public static readonly string[] Providers = [Outbox, Twilio, Vonage, GovUkNotify];

    public PluginFolders()
    {
        Root = Path.Combine(Path.GetTempPath(), "relay-plugins-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>Where the build put the plugin folders.</summary>
    public static string Built => Path.Combine(AppContext.BaseDirectory, "plugins");

    public string Root { get; }

    /// <summary>Copies a built plugin's folder in, under <paramref name="asFolder"/> if given.</summary>
    public string Add(string plugin, string? asFolder = null)
    {
        string source = Path.Combine(Built, plugin);
        Assert.True(Directory.Exists(source), $"The build did not put {plugin} in {Built}.");
        string target = Path.Combine(Root, asFolder ?? plugin);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public PluginFolders AddProviders()
    {
        foreach (string provider in Providers)
        {
            Add(provider);
        }

        return this;
    }

    /// <summary>A service provider with the relay's plugins registered from this folder, as the host does, over <paramref name="settings"/>.</summary>
    public ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(static builder => builder.SetMinimumLevel(LogLevel.Warning));
        services.AddRelayPlugins(configuration, Root);
        return services.BuildServiceProvider();
    }

    public string AddFile(string folder, string file, byte[] content)
    {
        string directory = Path.Combine(Root, folder);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, file);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A collectible context may still map a file on some systems; the temp folder is cleaned later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
