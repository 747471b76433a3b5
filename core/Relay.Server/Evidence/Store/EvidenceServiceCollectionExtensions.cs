using Microsoft.Extensions.Options;
using Relay.Control.Location;
using Relay.Plugins.Hosting;
using Relay.Recording.Upload;
using Relay.Server.Data;
using Relay.Server.Http;
using Relay.Server.Metrics;
using Relay.Server.Recording;

namespace Relay.Server.Evidence.Store;

public static class EvidenceServiceCollectionExtensions
{
    /// <summary>
    /// The evidence path: the configured store (<see cref="EvidenceStoreConfiguration"/>) as the
    /// <see cref="Relay.Plugins.Abstractions.Evidence.IEvidenceStore"/> singleton, the upload spool
    /// (<c>Relay:Evidence:Upload</c>, spool under <c>&lt;data&gt;/evidence-spool</c>), the durable location
    /// fix log (schema module "location") and location-only trails. Call after AddRelayPlugins.
    /// </summary>
    public static IServiceCollection AddRelayEvidence(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(sp => EvidenceStoreSelection.Create(
            sp.GetRequiredService<PluginCatalog>(), configuration, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Relay.Server.Evidence.Store")));
        services.AddSingleton(static sp => sp.GetRequiredService<EvidenceStoreSelection>().Store);
        services.AddOptions<EvidenceUploadOptions>().Bind(configuration.GetSection("Relay:Evidence:Upload")).PostConfigure(options =>
        {
            options.SpoolDirectory = RelayDatabaseSetup.ResolvePath(
                configuration, AppContext.BaseDirectory, string.IsNullOrWhiteSpace(options.SpoolDirectory) ? "evidence-spool" : options.SpoolDirectory);
        });
        services.AddSingleton(LocationSchema.Module);
        services.AddSingleton(static sp => new SqliteLocationFixLog(
            sp.GetRequiredService<Relay.Control.Data.RelayDatabase>(), sp.GetRequiredService<ILogger<SqliteLocationFixLog>>()));
        services.AddSingleton<ILocationFixLog>(static sp => sp.GetRequiredService<SqliteLocationFixLog>());
        services.AddSingleton<LocationTrailWriter>();
        services.AddSingleton<EvidenceUploader>();
        services.AddSingleton<EvidenceStoreHealth>();
        services.AddHostedService<LocationOnlyEvidence>();
        return services;
    }

    /// <summary>
    /// <c>/healthz</c> answers 503 (problem+json, saying what is wrong and what waits in the spool) while the
    /// evidence store cannot be reached or uploads are failing; <c>/healthz/evidence</c> always gives the
    /// evidence path's state as JSON. Also adds the evidence instruments to <c>/metrics</c>.
    /// </summary>
    public static WebApplication UseRelayEvidenceHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        EvidenceStoreHealth health = app.Services.GetRequiredService<EvidenceStoreHealth>();
        EvidenceMetrics.Register(
            app.Services.GetRequiredService<RelayMetrics>().Meter,
            app.Services.GetRequiredService<EvidenceUploader>(),
            health,
            app.Services.GetService<SqliteLocationFixLog>());
        app.Use(async (context, next) =>
        {
            PathString path = context.Request.Path;
            bool evidence = path.Equals("/healthz/evidence", StringComparison.Ordinal);
            if (!evidence && !path.Equals("/healthz", StringComparison.Ordinal))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            EvidenceHealthReport report = await health.CheckAsync(context.RequestAborted).ConfigureAwait(false);
            if (evidence)
            {
                context.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(
                    new EvidenceHealthBody(report.Healthy, report.Store, report.StoreHealth.Healthy, report.StoreHealth.Detail, report.Spool.PendingObjects, report.Spool.PendingBytes, report.Spool.QuarantinedObjects, report.Spool.ConsecutiveFailures, report.Spool.LastError, report.Spool.NextAttemptAt),
                    EvidenceHealthJson.Default.EvidenceHealthBody,
                    contentType: null,
                    cancellationToken: context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (!report.Healthy)
            {
                await Problems.Create(StatusCodes.Status503ServiceUnavailable, "Evidence is not reaching its store", report.Describe()).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        return app;
    }
}

/// <summary>The body of <c>/healthz/evidence</c>.</summary>
internal sealed record EvidenceHealthBody(
    bool Healthy, string Store, bool StoreReachable, string StoreDetail, int SpoolObjects, long SpoolBytes, int QuarantinedObjects, int ConsecutiveFailures, string? LastError, DateTimeOffset? NextAttemptAt);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EvidenceHealthBody))]
internal sealed partial class EvidenceHealthJson : System.Text.Json.Serialization.JsonSerializerContext;
