namespace Relay.Server.Portal;

/// <summary>
/// <c>Relay:Portal:TrustedProxy</c>: single sign-on through a reverse proxy that authenticates people
/// itself and passes who they are in request headers. Off by default; when on, the headers are
/// believed only on connections from <see cref="Proxies"/>, and only when the request carries no
/// other credential (a sign-in cookie or an API key wins).
/// </summary>
internal sealed class TrustedProxyOptions
{
    public const string SectionName = "Relay:Portal:TrustedProxy";

    public bool Enabled { get; set; }

    /// <summary>The proxies' own addresses (the connection's remote address, e.g. "127.0.0.1", "::1").</summary>
    public string[] Proxies { get; set; } = [];

    /// <summary>The header holding the person's sign-in name.</summary>
    public string UserHeader { get; set; } = "X-Forwarded-User";

    /// <summary>The header holding their roles, comma-separated (officer, supervisor, evidence-manager, engineer).</summary>
    public string RolesHeader { get; set; } = "X-Forwarded-Roles";
}
