using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Relay.Control.Data;

namespace Relay.Server.Data;

/// <summary>
/// The relay's database in the host: one <see cref="RelayDatabase"/> over every
/// <see cref="SchemaModule"/> registered in DI (each part adds its own with
/// <c>services.AddSingleton(TheSchema.Module)</c>), migrated before the other hosted services start.
/// </summary>
internal static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddRelayDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Validate(static o => !string.IsNullOrWhiteSpace(o.Path) && o.Path != ":memory:", "Relay:Database:Path must name a file (not :memory:): the record must survive a restart.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new RelayDatabase(
            ResolvePath(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot),
            sp.GetServices<SchemaModule>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return services;
    }

    /// <summary>The database file: a relative <see cref="DatabaseOptions.Path"/> is under the content root.</summary>
    public static string ResolvePath(DatabaseOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.GetFullPath(options.Path, contentRoot);
    }

    private sealed class DatabaseMigrator(RelayDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
