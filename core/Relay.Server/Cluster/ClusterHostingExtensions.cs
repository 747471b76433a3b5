using System.Text.Json.Serialization;
using Relay.Cluster;
using Relay.Cluster.Events;
using Relay.Cluster.Nodes;
using Relay.Cluster.Redis;
using Relay.Portal.Node;

namespace Relay.Server.Cluster;

/// <summary>
/// Many nodes over one Redis (<c>Relay:Cluster</c>): the node registry's heartbeats, the Nodes page's view of every node,
/// tuning changes announced to the other nodes, and <c>/healthz/cluster</c>. With <c>Relay:Cluster:Redis</c> unset none of
/// it runs: the node is single, exactly as before, and needs no Redis.
/// </summary>
internal static class ClusterHostingExtensions
{
    public static IServiceCollection AddRelayCluster(this IServiceCollection services, IConfiguration configuration)
    {
        ClusterOptions options = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        if (!options.IsEnabled)
        {
            services.AddSingleton<IPortalCluster, SingleNodeCluster>();
            return services;
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            options.HeartbeatInterval = new ClusterOptions().HeartbeatInterval;
        }

        if (options.TuningReloadInterval <= TimeSpan.Zero)
        {
            options.TuningReloadInterval = new ClusterOptions().TuningReloadInterval;
        }

        services.AddSingleton(options);
        services.AddSingleton(static sp => new RedisConnection(sp.GetRequiredService<ClusterOptions>().Redis!, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<NodeHistoryLog>();
        services.AddSingleton<ClusterEvents>();
        services.AddSingleton<LocalClusterNode>();
        services.AddSingleton<IPortalCluster, PortalCluster>();
        services.AddHostedService<NodeHeartbeatService>();
        services.AddHostedService<ClusterTuningSync>();
        return services;
    }

    /// <summary><c>/healthz/cluster</c>: this node's connection to the cluster's Redis, always 200 (an outage never makes the node unready).</summary>
    public static IEndpointRouteBuilder MapRelayCluster(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz/cluster", static (IServiceProvider services) =>
        {
            RedisConnection? redis = services.GetService<RedisConnection>();
            LocalClusterNode? local = services.GetService<LocalClusterNode>();
            ClusterHealthBody body = redis is null || local is null
                ? new ClusterHealthBody(false, null, false, null, null, "Relay:Cluster:Redis is not set: this relay runs as a single node.")
                : Describe(redis.Status, local.NodeId);
            return Results.Json(body, ClusterHealthJson.Default.ClusterHealthBody);
        });
        return routes;
    }

    private static ClusterHealthBody Describe(ClusterConnectionStatus status, string nodeId) => new(
        true,
        nodeId,
        status.Connected,
        status.Since,
        status.Problem,
        status.Connected
            ? "Connected to the cluster's Redis."
            : $"The cluster's Redis is unreachable ({status.Problem}); media and the HTTP API carry on, other nodes' figures and tuning messages wait until it is back.");
}

/// <summary>The body of <c>/healthz/cluster</c>.</summary>
internal sealed record ClusterHealthBody(bool Clustered, string? NodeId, bool Connected, DateTimeOffset? Since, string? Problem, string Detail);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClusterHealthBody))]
internal sealed partial class ClusterHealthJson : JsonSerializerContext;
