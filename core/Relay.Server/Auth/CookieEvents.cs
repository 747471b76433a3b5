using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Relay.Control.Users;
using Relay.Server.Http;

namespace Relay.Server.Auth;

/// <summary>
/// The sign-in cookie's checks on each request: the user must still exist, be enabled and have the
/// security stamp the cookie was issued with (a role change, new password or disabling changes it,
/// so it takes effect at once), and the sign-in must be younger than <see cref="SignInOptions.MaxLifetime"/>.
/// Refusals of API calls are problem+json, never a redirect to a page.
/// </summary>
internal sealed class CookieEvents(IUserDirectory users, TimeProvider time, IOptions<SignInOptions> options) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? name = context.Principal?.Identity?.Name;
        string? stamp = context.Principal?.FindFirst(RelayAuthentication.StampClaim)?.Value;
        DateTimeOffset? issued = context.Properties.IssuedUtc;
        bool valid = name is not null && stamp is not null && issued is not null && time.GetUtcNow() - issued.Value <= options.Value.MaxLifetime;
        if (valid)
        {
            RelayUser? user = await users.FindAsync(name!, context.HttpContext.RequestAborted).ConfigureAwait(false);
            valid = user is { Disabled: false } && string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal);
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(RelayAuthentication.Cookie).ConfigureAwait(false);
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RelayAuthentication.IsPageRequest(context.Request))
        {
            context.Response.Redirect(RelayAuthentication.LoginRedirect(context.Request));
            return Task.CompletedTask;
        }

        return Problems.Unauthorized(context.HttpContext, ApiKeyAuthenticationHandler.ChallengeDetail(context.HttpContext)).ExecuteAsync(context.HttpContext);
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Problems.Forbidden("You are signed in, but your roles do not allow this.").ExecuteAsync(context.HttpContext);
    }
}
