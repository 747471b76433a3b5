using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Hosting.Sms;

namespace Relay.Plugins.Hosting;

public static class PluginServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PluginCatalog"/> (plugins loaded from <paramref name="pluginsDirectory"/>, one folder
    /// each, on first use) and the configured <see cref="ISmsSender"/> (see <see cref="SmsConfiguration"/> for the keys), which is the <see cref="SmsProvider"/> and can be reloaded with changed settings.
    /// Broken plugins and a misconfigured provider are logged and listed in <see cref="PluginCatalog.Failures"/>;
    /// the sender then refuses every message with the reason instead of stopping the host.
    /// Resolve <see cref="PluginCatalog"/> at start to load (and log) plugins before the first request.
    /// </summary>
    public static IServiceCollection AddRelayPlugins(this IServiceCollection services, IConfiguration configuration, string pluginsDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginsDirectory);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => PluginCatalog.Load(pluginsDirectory, sp.GetService<ILoggerFactory>()));
        services.AddSingleton(sp => new SmsProvider(sp.GetRequiredService<PluginCatalog>(), configuration, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISmsSender>(static sp => sp.GetRequiredService<SmsProvider>());
        return services;
    }
}
