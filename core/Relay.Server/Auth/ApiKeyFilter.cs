using System.Security.Claims;

namespace Relay.Server.Auth;

/// <summary>Who made an authenticated request, for recording who created or watched a session.</summary>
internal static class ApiKeyFilter
{
    /// <summary>
    /// The API key that authenticated the request, or, for a person signed in with the cookie,
    /// their user name and first role; null when nobody is authenticated.
    /// </summary>
    public static ApiKeyIdentity? GetIdentity(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(typeof(ApiKeyIdentity), out object? value) && value is ApiKeyIdentity key)
        {
            return key;
        }

        ClaimsPrincipal user = http.User;
        return user.Identity is { IsAuthenticated: true, Name: string name }
            ? new ApiKeyIdentity(name, user.FindFirst(ClaimTypes.Role)?.Value ?? "")
            : null;
    }
}
