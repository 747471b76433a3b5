using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Relay.Server.Http;

namespace Relay.Server.Auth;

/// <summary>
/// The API key scheme: <c>Authorization: Bearer &lt;key&gt;</c> checked by <see cref="ApiKeyAuthenticator"/>.
/// The principal is named after the key and has the key's role mapped by <see cref="RelayRoles.ForApiKey"/>.
/// No header is no result (the cookie may apply); a malformed header or unknown key fails, and the
/// challenge says which in a problem+json 401 with a Bearer challenge (RFC 6750 section 3).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string UnknownKey = "The API key is not recognised. Check the key, or ask the relay's operator for one (Relay:ApiKeys).";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!BearerToken.TryRead(Request, out string? token, out string? problem))
        {
            return Task.FromResult(AuthenticateResult.Fail(problem));
        }

        ApiKeyIdentity? identity = keys.Authenticate(token);
        if (identity is null)
        {
            return Task.FromResult(AuthenticateResult.Fail(UnknownKey));
        }

        Context.Items[typeof(ApiKeyIdentity)] = identity;
        var claims = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, identity.Name),
                new Claim(ClaimTypes.Role, RelayRoles.ForApiKey(identity.Role)),
                new Claim(RelayAuthentication.KeyRoleClaim, identity.Role),
            ],
            Scheme.Name,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Unauthorized(Context, ChallengeDetail(Context), invalidToken: IsUnknownKey(Context)).ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Forbidden("This key may not do that.").ExecuteAsync(Context);

    /// <summary>What to tell a client that is not authenticated, from what it sent.</summary>
    public static string ChallengeDetail(HttpContext http)
    {
        if (!http.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization))
        {
            return "No credentials were sent. Send the key as the header 'Authorization: Bearer <key>', or sign in (POST /api/login) and send the cookie.";
        }

        return BearerToken.TryRead(http.Request, out _, out string? problem) ? UnknownKey : problem;
    }

    public static bool IsUnknownKey(HttpContext http) =>
        http.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization) && BearerToken.TryRead(http.Request, out _, out _);
}
