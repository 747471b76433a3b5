using Microsoft.Extensions.Options;
using Relay.Control.Data;
using Relay.Control.Evidence;
using Relay.Control.Evidence.Retention;
using Relay.Control.Sessions;
using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Server.Evidence.Catalogue;

/// <summary>The evidence catalogue, retention categories and scheduled disposal, wired into the relay.</summary>
internal static class EvidenceCatalogueServiceCollectionExtensions
{
    /// <summary>
    /// The "evidence" schema module, <see cref="IEvidenceCatalogue"/> (with <see cref="IEvidenceSearch"/>
    /// and <see cref="IEvidenceRetention"/>), <see cref="IRetentionCategories"/>, and the disposal service
    /// (<c>Relay:Evidence:Disposal</c>). An <see cref="IEvidenceStore"/> in DI, when there is one, gets
    /// the catalogue's legal holds and disposal's deletions.
    /// </summary>
    public static IServiceCollection AddRelayEvidenceCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(EvidenceSchema.Module);
        services.AddSingleton(static sp => new RetentionCategories(sp.GetRequiredService<RelayDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRetentionCategories>(static sp => sp.GetRequiredService<RetentionCategories>());
        services.AddSingleton(static sp => new SqliteEvidenceCatalogue(
            sp.GetRequiredService<RelayDatabase>(),
            sp.GetRequiredService<ISessionStore>(),
            sp.GetRequiredService<TimeProvider>(),
            new EvidenceStoreHolds(sp)));
        services.AddSingleton<IEvidenceCatalogue>(static sp => sp.GetRequiredService<SqliteEvidenceCatalogue>());
        services.AddSingleton<IEvidenceSearch>(static sp => sp.GetRequiredService<SqliteEvidenceCatalogue>());
        services.AddSingleton<IEvidenceRetention>(static sp => sp.GetRequiredService<SqliteEvidenceCatalogue>());

        services.AddOptions<EvidenceDisposalOptions>().Bind(configuration.GetSection(EvidenceDisposalOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EvidenceDisposalOptions>, EvidenceDisposalOptionsValidator>();
        services.AddSingleton<EvidenceDisposalService>();
        services.AddHostedService(static sp => sp.GetRequiredService<EvidenceDisposalService>());
        return services;
    }

    /// <summary>The catalogue's HTTP API (<see cref="EvidenceCatalogueEndpoints"/>).</summary>
    public static IEndpointRouteBuilder MapEvidenceCatalogue(this IEndpointRouteBuilder routes)
    {
        EvidenceCatalogueEndpoints.Map(routes);
        return routes;
    }
}
