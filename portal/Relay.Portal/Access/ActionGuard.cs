using System.Security.Claims;
using Relay.Control.Users;

namespace Relay.Portal.Access;

/// <summary>
/// The check every portal action makes on the server before it changes anything. A page's
/// <c>[Authorize]</c> is checked when it opens, but a page stays open (its circuit keeps the
/// sign-in it started with), so an action asks the user directory again: the person must still
/// exist, be enabled, not be waiting to replace a reset password, and hold one of the roles now.
/// </summary>
public sealed class ActionGuard(IUserDirectory users)
{
    /// <summary>Null when <paramref name="user"/> may act; otherwise why not, for the person.</summary>
    public async Task<string?> RefuseAsync(ClaimsPrincipal user, string allowed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(allowed);
        if (user.Identity?.IsAuthenticated != true || user.Identity.Name is not { Length: > 0 } name)
        {
            return "You are not signed in. Sign in again.";
        }

        RelayUser? current = await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Disabled)
        {
            return "Your account is no longer enabled. Sign in again, or ask an engineer.";
        }

        if (current.MustChangePassword)
        {
            return "Your password was reset by an engineer. Sign in again with the temporary password to choose a new one.";
        }

        return PortalRoles.Allows(allowed, current.Roles)
            ? null
            : $"Your roles ({string.Join(", ", current.Roles)}) no longer allow this. Reload the page.";
    }
}
