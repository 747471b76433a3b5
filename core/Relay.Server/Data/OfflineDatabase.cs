using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Users;

namespace Relay.Server.Data;

/// <summary>
/// The database as the command-line verbs reach it, without starting the relay: the same
/// configuration sources as the host (appsettings.json, environment, command line), so
/// <c>--Relay:Database:Path=...</c> points them at the same file.
/// </summary>
internal static class OfflineDatabase
{
    public static IConfiguration BuildConfiguration(string[] args) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

    public static async Task<RelayDatabase> OpenAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var database = new RelayDatabase(RelayDatabaseSetup.ResolvePath(configuration, AppContext.BaseDirectory, options.Path), [UserSchema.Module, AuditSchema.Module]);
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return database;
    }
}
