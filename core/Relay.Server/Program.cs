using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Relay.Control.Chat;
using Relay.Control.Data;
using Relay.Control.Sessions;
using Relay.Control.Sms;
using Relay.Plugins.Hosting;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Cluster;
using Relay.Server.Data;
using Relay.Server.Evidence.Catalogue;
using Relay.Server.Evidence.Export;
using Relay.Server.Evidence.Store;
using Relay.Server.Http;
using Relay.Server.Https;
using Relay.Server.Location;
using Relay.Server.Media;
using Relay.Server.Metrics;
using Relay.Server.Recording;
using Relay.Server.Player;
using Relay.Server.Portal;
using Relay.Server.Sessions;
using Relay.Server.Sessions.Sharing;
using Relay.Server.Signalling;
using Relay.Server.Streams;
using Relay.Server.Tuning;

namespace Relay.Server;

/// <summary>
/// The relay's host and composition root: the media node (UDP port, ICE-lite, DTLS certificate,
/// timer), the HTTP API (sessions, WHIP, WHEP), /metrics and /healthz, and the static pages.
/// </summary>
public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Administrative verbs work on the database without starting the relay.
        if (BundleVerifyCommand.Matches(args))
        {
            return BundleVerifyCommand.Run(args, Console.Out, Console.Error);
        }

        if (AuditVerifyCommand.Matches(args))
        {
            return await AuditVerifyCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        }

        if (CreateAdminCommand.Matches(args))
        {
            return await CreateAdminCommand.RunAsync(args, Console.In, !Console.IsInputRedirected, Console.Out, Console.Error).ConfigureAwait(false);
        }

        try
        {
            await using WebApplication app = CreateApp(args);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await ReportConfigurationErrorsAsync(e.Failures).ConfigureAwait(false);
            return 2;
        }
        catch (DatabaseStartException e)
        {
            await Console.Error.WriteLineAsync("Relay cannot start: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (MediaNodeStartException e)
        {
            await Console.Error.WriteLineAsync("Relay cannot start: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(static inner => inner is OptionsValidationException))
        {
            // Several options classes failed at once: the host reports them together.
            await ReportConfigurationErrorsAsync(e.InnerExceptions.SelectMany(static inner => ((OptionsValidationException)inner).Failures)).ConfigureAwait(false);
            return 2;
        }
    }

    // Configuration mistakes are the operator's to fix: say what, without a stack trace.
    private static async Task ReportConfigurationErrorsAsync(IEnumerable<string> failures)
    {
        await Console.Error.WriteLineAsync("Relay cannot start; fix its configuration:").ConfigureAwait(false);
        foreach (string failure in failures)
        {
            await Console.Error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the relay from command-line style arguments, not yet started (tests start it in-process).</summary>
    public static WebApplication CreateApp(string[] args) => CreateApp(args, null);

    /// <summary>As <see cref="CreateApp(string[])"/>; <paramref name="configureServices"/> runs last (tests add doubles of external services).</summary>
    public static WebApplication CreateApp(string[] args, Action<IServiceCollection>? configureServices)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        IServiceCollection services = builder.Services;
        ConfigurationManager configuration = builder.Configuration;
        // One data directory for all the node keeps (database, recordings, keys, plugins' files such as the
        // SMS outbox): made absolute once, against the content root, so every reader finds the same one.
        configuration[RelayDatabaseSetup.DataDirectoryKey] = RelayDatabaseSetup.ResolveDataDirectory(configuration, builder.Environment.ContentRootPath);
        HttpsOptions https = configuration.GetSection(HttpsOptions.SectionName).Get<HttpsOptions>() ?? new HttpsOptions();
        if (https.IsConfigured)
        {
            // Loaded now, so a wrong path or key stops the relay with a message rather than at the first TLS handshake.
            System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = HttpsCertificate.Load(https);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(defaults => defaults.ServerCertificate = certificate));
        }

        services.AddProblemDetails(static options => options.CustomizeProblemDetails = static context =>
        {
            // Status-code pages (unmatched routes, wrong methods) come without a detail; give one.
            HttpRequest request = context.HttpContext.Request;
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"Nothing is served at {request.Path}. The API is under /api/sessions, /whip/{{id}} and /whep/{{id}}.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
                StatusCodes.Status500InternalServerError => "The relay failed to handle the request; the node's log has the details. Try again, and report it if it persists.",
                _ => null,
            };
        });
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.AddOptions<MediaNodeOptions>().Bind(configuration.GetSection(MediaNodeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaNodeOptions>, MediaNodeOptionsValidator>();
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddOptions<CallSessionOptions>().Bind(configuration.GetSection(CallSessionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallSessionOptions>, CallSessionOptionsValidator>();
        services.AddOptions<CallerAccessOptions>().Bind(configuration.GetSection(CallSessionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallerAccessOptions>, CallerAccessOptionsValidator>();
        services.AddOptions<SmsLimitOptions>().Bind(configuration.GetSection(SmsLimitOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsLimitOptions>, SmsLimitOptionsValidator>();
        // Relay:PublicBaseUrl is where phones reach this relay (behind a proxy, not the listening address): caller links use it.
        string? publicBaseUrl = configuration["Relay:PublicBaseUrl"];
        if (!string.IsNullOrEmpty(publicBaseUrl))
        {
            services.PostConfigure<CallSessionOptions>(options =>
            {
                if (string.IsNullOrEmpty(options.LinkBaseUrl))
                {
                    options.LinkBaseUrl = publicBaseUrl;
                }
            });
        }

        services.AddOptions<PlayerOptions>().Bind(configuration.GetSection(PlayerOptions.SectionName)).ValidateOnStart();
        services.AddOptions<MapOptions>().Bind(configuration.GetSection(MapOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlayerOptions>, PlayerOptionsValidator>();
        services.AddSingleton<IValidateOptions<MapOptions>, PlayerOptionsValidator>();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName));
        services.AddRelayDatabase(configuration, builder.Environment.ContentRootPath);
        services.AddRelayIdentity(configuration, builder.Environment.ContentRootPath);
        string contentRoot = builder.Environment.ContentRootPath;
        services.AddOptions<RecordingOptions>().Bind(configuration.GetSection(RecordingOptions.SectionName))
            .PostConfigure(recording =>
            {
                // Relative paths are under the data directory, beside the database.
                recording.Directory = RelayDatabaseSetup.ResolvePath(configuration, contentRoot, recording.Directory);
                recording.SigningKeyPath = RelayDatabaseSetup.ResolvePath(configuration, contentRoot, recording.SigningKeyPath);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecordingOptions>, RecordingOptionsValidator>();

        // Before the media node: recordings left open by the last run are recovered before any stream starts.
        services.AddSingleton<RecordingService>();
        services.AddHostedService<RecordingServiceStarter>();

        services.AddSingleton<MediaNode>();
        services.AddHostedService(static sp => sp.GetRequiredService<MediaNode>());
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton(SessionSchema.Module);
        services.AddSingleton<ISessionStore>(static sp => new SqliteSessionStore(sp.GetRequiredService<RelayDatabase>()));
        services.AddSingleton(static sp => new CallerAccess(
            sp.GetRequiredService<ISessionStore>(),
            sp.GetRequiredService<IOptions<CallerAccessOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICallerAuthenticator>(static sp => sp.GetRequiredService<CallerAccess>());
        services.AddSingleton(static sp =>
        {
            // Read at every check: SMS limits changed on the Tuning page apply to the next SMS.
            IOptionsMonitor<SmsLimitOptions> limits = sp.GetRequiredService<IOptionsMonitor<SmsLimitOptions>>();
            return new SmsSendingLimits(sp.GetRequiredService<RelayDatabase>(), () => limits.CurrentValue);
        });

        // Plugins (SMS providers) load from the plugins folder beside the binaries, each in its own
        // load context; Relay:Sms:Provider picks the SMS sender (the outbox by default).
        services.AddRelayPlugins(configuration, Path.Combine(AppContext.BaseDirectory, "plugins"));
        services.AddRelayEvidence(configuration);
        services.AddSingleton<SessionLinkSender>();
        services.AddSingleton<StreamRegistry>();
        services.AddSingleton<ISessionMedia>(static sp => sp.GetRequiredService<StreamRegistry>());
        services.AddSingleton<IStreamMetricsSource>(static sp => sp.GetRequiredService<StreamRegistry>());
        services.AddSingleton<RelayMetrics>();
        services.AddSingleton(static sp => new PrometheusExporter(sp.GetRequiredService<RelayMetrics>()));
        services.AddSingleton<Relay.Control.Location.LocationDirectory>();
        services.AddSingleton<Relay.Control.Location.ILocationDirectory>(static sp => sp.GetRequiredService<Relay.Control.Location.LocationDirectory>());
        services.AddSingleton(ChatSchema.Module);
        services.AddSingleton(static sp => new ChatHistory(sp.GetRequiredService<RelayDatabase>()));
        services.AddSingleton<ISessionLiveState, SessionLiveState>();
        services.AddSingleton<SessionStateChanges>();
        services.AddSingleton<LocationHub>();
        services.AddHostedService<SessionStateWatcher>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<AuditTrail>();
        services.AddEvidenceExport();
        services.AddRelayEvidenceCatalogue(configuration);
        services.AddRelayPortal(configuration);
        services.AddRelayTuning(configuration);
        services.AddRelayCluster(configuration);
        services.AddSessionSharing();
        services.AddRelayPluginSettings();

        configureServices?.Invoke(services);
        WebApplication app = builder.Build();

        // The registry ticks its streams from the node's timer from the moment it exists.
        app.Services.GetRequiredService<StreamRegistry>();
        // Plugins load now, so a broken one is reported at start rather than at the first SMS.
        app.Services.GetRequiredService<PluginCatalog>();
        app.UseExceptionHandler();
        app.UseRelayEvidenceHealth();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseMiddleware<WebRtcCors>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });

        app.MapGet("/healthz", static (MediaNode node) => node.IsRunning
            ? Results.Text("ok\n")
            : Problems.Create(StatusCodes.Status503ServiceUnavailable, "Not ready", "The UDP media port is not up (starting, stopping, or its socket failed); see the node's log."));

        RouteHandlerBuilder metrics = app.MapGet("/metrics", static (PrometheusExporter exporter) => Results.Text(exporter.Scrape(), PrometheusExporter.ContentType));
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.RequireApiKey)
        {
            metrics.RequireRole(RelayRoles.Engineer, RelayRoles.Officer);
        }

        SignInEndpoints.Map(app);
        SessionEndpoints.Map(app);
        CallerEndpoints.Map(app);
        WhipEndpoints.Map(app);
        WhepEndpoints.Map(app);
        LocationEndpoints.Map(app);
        PlayerEndpoints.Map(app);
        SnapshotEndpoints.Map(app);
        app.MapEvidenceExport();
        app.MapEvidenceCatalogue();
        app.MapSessionSharing();
        app.MapRelayPortal();
        app.MapRelayTuning();
        app.MapRelayPluginSettings();
        app.MapRelayCluster();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (string address in addresses)
            {
                Log.Listening(app.Logger, address);
            }

            if (app.Services.GetRequiredService<ApiKeyAuthenticator>().Count == 0)
            {
                Log.NoApiKeys(app.Logger);
            }
        });

        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Relay is listening on {Address}")]
        public static partial void Listening(ILogger logger, string address);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "No API keys are configured (Relay:ApiKeys): nobody can create sessions or watch streams")]
        public static partial void NoApiKeys(ILogger logger);
    }
}
