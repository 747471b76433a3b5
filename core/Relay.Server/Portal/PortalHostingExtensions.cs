using Relay.Portal.Hosting;
using Relay.Portal.Node;

namespace Relay.Server.Portal;

/// <summary>The admin portal (portal/Relay.Portal) in the relay's own process, with the relay's services behind it.</summary>
internal static class PortalHostingExtensions
{
    public static IServiceCollection AddRelayPortal(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddPortal();
        services.AddSingleton<IPortalSessions, PortalSessions>();
        services.AddSingleton<IPortalNode, PortalNode>();
        services.AddSingleton<IPortalEvidence, PortalEvidence>();
        services.AddSingleton<IPortalSessionDetail, PortalSessionDetail>();
        services.AddPortalNodes();
        services.AddOptions<TrustedProxyOptions>().Bind(configuration.GetSection(TrustedProxyOptions.SectionName));
        services.AddSingleton<IStartupFilter, TrustedProxySignIn>();
        return services;
    }

    public static WebApplication MapRelayPortal(this WebApplication app)
    {
        PortalSignOut.Map(app);
        return app.MapPortal(Path.Combine(AppContext.BaseDirectory, typeof(Program).Assembly.GetName().Name + ".staticwebassets.endpoints.json"));
    }
}
