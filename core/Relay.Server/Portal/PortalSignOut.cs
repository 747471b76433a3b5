using Microsoft.AspNetCore.Authentication;
using Relay.Control.Audit;
using Relay.Server.Auth;

namespace Relay.Server.Portal;

/// <summary>
/// <c>POST /portal/sign-out</c>: the portal's Sign out button, a plain form post (with the antiforgery
/// token Razor components add to forms): ends the cookie sign-in, audits it, and opens /login.
/// </summary>
internal static class PortalSignOut
{
    public const string Path = "/portal/sign-out";

    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost(Path, SignOutAsync);

    private static async Task<IResult> SignOutAsync(HttpContext http, IAuditLog audit)
    {
        AuthenticateResult cookie = await http.AuthenticateAsync(RelayAuthentication.Cookie).ConfigureAwait(false);
        if (cookie.Succeeded && cookie.Principal.Identity?.Name is string name)
        {
            await audit.AppendAsync(new AuditEntry(AuditActions.SignOut, name, name, null, null, null), http.RequestAborted).ConfigureAwait(false);
        }

        await http.SignOutAsync(RelayAuthentication.Cookie).ConfigureAwait(false);
        return Results.Redirect("/login");
    }
}
