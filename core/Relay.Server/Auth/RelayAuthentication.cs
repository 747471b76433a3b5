namespace Relay.Server.Auth;

/// <summary>
/// The authentication schemes. <see cref="Default"/> picks one per request: the API key when an
/// Authorization header is sent (so a wrong key is never rescued by a cookie), else the cookie.
/// </summary>
internal static class RelayAuthentication
{
    public const string Default = "relay";
    public const string ApiKey = "api-key";
    public const string Cookie = "cookie";

    /// <summary>The sign-in cookie; HttpOnly, SameSite=Strict, Secure over HTTPS.</summary>
    public const string CookieName = "relay_auth";

    /// <summary>Claim holding the user's security stamp, checked on each request so role changes and disabling take effect.</summary>
    public const string StampClaim = "relay:stamp";

    public const string DisplayNameClaim = "relay:display-name";

    /// <summary>Claim holding an API key's own role (officer, publisher, operator).</summary>
    public const string KeyRoleClaim = "relay:key-role";

    /// <summary>Paths whose clients are programs or scripts: refused with problem+json, never redirected to a page.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/whip", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/whep", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/ws", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase);

    /// <summary>A browser asking for a page: sent to /login rather than refused.</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !IsApiPath(request.Path)
        && !request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization);

    /// <summary>/login?returnUrl=... for the current request.</summary>
    public static string LoginRedirect(HttpRequest request) =>
        "/login?returnUrl=" + Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString);
}
