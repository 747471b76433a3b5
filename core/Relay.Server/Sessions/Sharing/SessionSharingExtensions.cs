using Relay.Control.Data;
using Relay.Control.Sessions.Sharing;

namespace Relay.Server.Sessions.Sharing;

/// <summary>Sharing sessions with officers: its table, store, the access check and the API.</summary>
internal static class SessionSharingExtensions
{
    public static IServiceCollection AddSessionSharing(this IServiceCollection services)
    {
        services.AddSingleton(SharingSchema.Module);
        services.AddSingleton<ISessionShares>(static sp => new SqliteSessionShares(sp.GetRequiredService<RelayDatabase>()));
        services.AddSingleton<SessionGate>();
        services.AddSingleton<AccessWithdrawal>();
        services.AddSingleton<SessionSharing>();
        return services;
    }

    public static IEndpointRouteBuilder MapSessionSharing(this IEndpointRouteBuilder routes)
    {
        SharingEndpoints.Map(routes);
        return routes;
    }
}
