using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Relay.Cluster;
using Relay.Cluster.Nodes;
using Relay.Server.Media;

namespace Relay.Server.Cluster;

/// <summary>
/// Who this node is in the cluster: its id (<c>Relay:Cluster:NodeId</c>, by default the machine name and media port,
/// so a restarted node takes its own place back), its name, and where it is reached, read once the server listens.
/// </summary>
internal sealed class LocalClusterNode(ClusterOptions options, IOptions<MediaNodeOptions> media, MediaNode node, IServer server, IConfiguration configuration, TimeProvider time)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private NodeRegistration? _registration;

    public string NodeId { get; } = string.IsNullOrWhiteSpace(options.NodeId)
        ? Environment.MachineName + ":" + media.Value.Port.ToString(CultureInfo.InvariantCulture)
        : options.NodeId.Trim();

    /// <summary>The registration; call once the server listens (its HTTP address is known then).</summary>
    public NodeRegistration Registration => _registration ??= new NodeRegistration(
        NodeId,
        string.IsNullOrWhiteSpace(options.NodeName) ? NodeId : options.NodeName.Trim(),
        MediaAddress(),
        HttpAddress(),
        typeof(LocalClusterNode).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        _startedAt);

    private string MediaAddress()
    {
        IReadOnlyList<IPEndPoint> candidates = node.Candidates;
        return candidates.Count > 0 ? candidates[0].ToString() : media.Value.BindAddress + ":" + media.Value.Port.ToString(CultureInfo.InvariantCulture);
    }

    private string HttpAddress()
    {
        string? publicBaseUrl = configuration["Relay:PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(publicBaseUrl))
        {
            return publicBaseUrl;
        }

        ICollection<string>? addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is { Count: > 0 } ? addresses.First() : "";
    }
}
