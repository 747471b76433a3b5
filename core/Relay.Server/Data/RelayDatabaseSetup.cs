using Relay.Control.Data;

namespace Relay.Server.Data;

/// <summary>
/// The relay's SQLite database: at <c>Relay:Database:Path</c> under the data directory
/// (<c>Relay:DataDirectory</c>, "data" under the content root by default), with every
/// <see cref="SchemaModule"/> registered in DI brought up to date before the node serves anything.
/// </summary>
internal static class RelayDatabaseSetup
{
    public const string DataDirectoryKey = "Relay:DataDirectory";

    public static IServiceCollection AddRelayDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName));
        services.AddSingleton(sp =>
        {
            string path = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.Path;
            return new RelayDatabase(ResolvePath(configuration, contentRoot, path), sp.GetServices<SchemaModule>());
        });

        // Hosted services start in order and before the server listens: migrate first.
        services.AddHostedService<DatabaseMigration>();
        return services;
    }

    /// <summary>A file of the relay's (database, recordings, keys): <paramref name="path"/> as is when absolute, else under the data directory.</summary>
    public static string ResolvePath(IConfiguration configuration, string contentRoot, string path) =>
        Path.GetFullPath(Path.Combine(ResolveDataDirectory(configuration, contentRoot), path));

    /// <summary>The data directory's full path: <c>Relay:DataDirectory</c> (relative to the content root) or "data" there.</summary>
    public static string ResolveDataDirectory(IConfiguration configuration, string contentRoot) =>
        Path.GetFullPath(Path.Combine(contentRoot, configuration[DataDirectoryKey] is { Length: > 0 } configured ? configured : "data"));

    private sealed class DatabaseMigration(RelayDatabase database) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                throw new DatabaseStartException(
                    $"the database '{database.FilePath}' cannot be opened or brought up to date: {e.Message} " +
                    $"Check that the data directory ({DataDirectoryKey}) is writable by the relay and the file is a Relay database.",
                    e);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
