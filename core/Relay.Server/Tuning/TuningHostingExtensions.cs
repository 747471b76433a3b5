using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Relay.Control.Data;
using Relay.Control.Tuning;
using Relay.Portal.Node;

namespace Relay.Server.Tuning;

/// <summary>Settings changed in operation: the configuration layer, the store, <c>/api/tuning</c> and the portal's Tuning page's service.</summary>
internal static class TuningHostingExtensions
{
    public static IServiceCollection AddRelayTuning(this IServiceCollection services, ConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var source = new TuningConfigurationSource();
        IList<IConfigurationSource> sources = ((IConfigurationBuilder)configuration).Sources;
        sources.Insert(BelowEnvironment(sources), source);
        services.AddSingleton(source);
        services.AddSingleton(TuningSchema.Module);
        services.AddSingleton(static sp => new TuningStore(sp.GetRequiredService<RelayDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LiveTuning>();
        services.AddSingleton<IPortalTuning>(static sp => sp.GetRequiredService<LiveTuning>());
        services.AddHostedService<TuningLoader>();
        return services;
    }

    public static IEndpointRouteBuilder MapRelayTuning(this IEndpointRouteBuilder routes)
    {
        TuningEndpoints.Map(routes);
        return routes;
    }

    /// <summary>
    /// Where the tuned values go: just below the first unprefixed environment variables or command line
    /// source (both win over them), above the configuration files; at the end when there is neither.
    /// </summary>
    private static int BelowEnvironment(IList<IConfigurationSource> sources)
    {
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" } or CommandLineConfigurationSource)
            {
                return i;
            }
        }

        return sources.Count;
    }
}
