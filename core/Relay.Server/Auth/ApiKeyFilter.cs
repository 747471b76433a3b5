using Relay.Server.Http;

namespace Relay.Server.Auth;

/// <summary>
/// Lets a request through only with a configured API key of one of the given roles; puts the
/// key's <see cref="ApiKeyIdentity"/> in <see cref="HttpContext.Items"/>.
/// </summary>
internal sealed class ApiKeyFilter(IReadOnlyList<string> roles) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        IResult? refusal = Check(http, roles);
        return refusal ?? await next(context).ConfigureAwait(false);
    }

    /// <summary>Null when the request carries a key of one of <paramref name="roles"/>; otherwise the 401 or 403 to send.</summary>
    public static IResult? Check(HttpContext http, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(roles);
        if (!BearerToken.TryRead(http.Request, out string? token, out string? problem))
        {
            return Problems.Unauthorized(http, problem);
        }

        ApiKeyIdentity? identity = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Authenticate(token);
        if (identity is null)
        {
            return Problems.Unauthorized(http, "The API key is not recognised. Check the key, or ask the relay's operator for one (Relay:ApiKeys).", invalidToken: true);
        }

        if (!Contains(roles, identity.Role))
        {
            return Problems.Forbidden($"The key '{identity.Name}' has the role '{identity.Role}'; this needs a key with the role {string.Join(" or ", roles)}.");
        }

        http.Items[typeof(ApiKeyIdentity)] = identity;
        return null;
    }

    public static ApiKeyIdentity? GetIdentity(HttpContext http) =>
        http.Items.TryGetValue(typeof(ApiKeyIdentity), out object? value) ? value as ApiKeyIdentity : null;

    private static bool Contains(IReadOnlyList<string> roles, string role)
    {
        foreach (string r in roles)
        {
            if (r == role)
            {
                return true;
            }
        }

        return false;
    }
}
