using Relay.Portal.Node;

namespace Relay.Server.Portal;

/// <summary>The engineer's pages' services: this node's sampled history (Nodes) and the actions on plugins in use (Plugins).</summary>
internal static class PortalNodesExtensions
{
    public static IServiceCollection AddPortalNodes(this IServiceCollection services)
    {
        services.AddSingleton(static _ => new NodeHistory());
        services.AddSingleton<NodeSampler>();
        services.AddSingleton<IPortalNodeHistory>(static sp => sp.GetRequiredService<NodeSampler>());
        services.AddHostedService(static sp => sp.GetRequiredService<NodeSampler>());
        services.AddSingleton<IPortalPlugins, PortalPlugins>();
        return services;
    }
}
