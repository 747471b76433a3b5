using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Relay.Server.Http;

namespace Relay.Server.Auth;

/// <summary>
/// Turns an authorization refusal into what the client can act on: a browser asking for a page is
/// sent to /login?returnUrl=...; everything else gets a problem+json 401 (with a Bearer challenge
/// and what was wrong with the credentials) or 403 (naming the roles needed, as key roles for a key).
/// </summary>
internal sealed class RelayAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded)
        {
            return next(context);
        }

        if (authorizeResult.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            if (RelayAuthentication.IsPageRequest(context.Request))
            {
                context.Response.Redirect(RelayAuthentication.LoginRedirect(context.Request));
                return Task.CompletedTask;
            }

            return Problems.Unauthorized(context, ApiKeyAuthenticationHandler.ChallengeDetail(context), ApiKeyAuthenticationHandler.IsUnknownKey(context)).ExecuteAsync(context);
        }

        string detail = ForbiddenDetail(context.User, RequiredRoles(policy));
        if (RelayAuthentication.IsPageRequest(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Results.Content(LoginPage.Message("Not allowed", detail), "text/html; charset=utf-8").ExecuteAsync(context);
        }

        return Problems.Forbidden(detail).ExecuteAsync(context);
    }

    private static List<string> RequiredRoles(AuthorizationPolicy policy)
    {
        var roles = new List<string>();
        foreach (IAuthorizationRequirement requirement in policy.Requirements)
        {
            if (requirement is RolesAuthorizationRequirement required)
            {
                roles.AddRange(required.AllowedRoles);
            }
        }

        return roles;
    }

    private static string ForbiddenDetail(ClaimsPrincipal user, List<string> required)
    {
        string name = user.Identity?.Name ?? "unknown";
        string? keyRole = user.FindFirst(RelayAuthentication.KeyRoleClaim)?.Value;
        if (keyRole is not null)
        {
            var keyRoles = new List<string>();
            foreach (string role in required)
            {
                if (RelayRoles.ApiKeyRoleFor(role) is string mapped && !keyRoles.Contains(mapped))
                {
                    keyRoles.Add(mapped);
                }
            }

            return keyRoles.Count == 0
                ? $"The key '{name}' has the role '{keyRole}'; this is for people signed in with the role {string.Join(" or ", required)}, not for keys."
                : $"The key '{name}' has the role '{keyRole}'; this needs a key with the role {string.Join(" or ", keyRoles)}.";
        }

        var has = new List<string>();
        foreach (Claim claim in user.FindAll(ClaimTypes.Role))
        {
            has.Add(claim.Value);
        }

        string roles = has.Count == 0 ? "no roles" : "the roles " + string.Join(", ", has);
        return $"You are signed in as '{name}' with {roles}; this needs the role {string.Join(" or ", required)}. Ask a supervisor if you need it.";
    }
}
