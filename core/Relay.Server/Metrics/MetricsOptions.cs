namespace Relay.Server.Metrics;

/// <summary><c>Relay:Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Relay:Metrics";

    /// <summary>
    /// Whether <c>GET /metrics</c> needs an API key (roles operator or officer). Off by default: a
    /// scraper on the node's private network reads it without one; turn it on when the HTTP port is public.
    /// </summary>
    public bool RequireApiKey { get; set; }
}
