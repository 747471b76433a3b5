using Relay.Control.Data;
using Relay.Control.Plugins;
using Relay.Portal.Node;

namespace Relay.Server.Portal;

/// <summary>Plugin configuration changed in operation: the store, the Plugins page's service, <c>/api/plugins</c>, and loading the stored changes at start.</summary>
internal static class PluginSettingsExtensions
{
    public static IServiceCollection AddRelayPluginSettings(this IServiceCollection services)
    {
        services.AddSingleton(PluginSettingsSchema.Module);
        services.AddSingleton(static sp => new PluginSettingsStore(sp.GetRequiredService<RelayDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PortalPluginSettings>();
        services.AddSingleton<IPortalPluginSettings>(static sp => sp.GetRequiredService<PortalPluginSettings>());
        services.AddHostedService<Loader>();
        return services;
    }

    public static IEndpointRouteBuilder MapRelayPluginSettings(this IEndpointRouteBuilder routes)
    {
        PluginSettingsEndpoints.Map(routes);
        return routes;
    }

    // Registered after the database's migration (hosted services start in order), before the server listens.
    private sealed class Loader(PortalPluginSettings settings) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => settings.LoadAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
