using System.Security.Claims;

namespace Relay.Portal.Access;

/// <summary>The signed-in person as the portal needs them: name and roles from the sign-in's claims.</summary>
public static class PortalUser
{
    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = new List<string>();
        foreach (Claim claim in user.FindAll(ClaimTypes.Role))
        {
            roles.Add(claim.Value);
        }

        return roles;
    }

    /// <summary>The sign-in name, which the audit log records as the actor.</summary>
    public static string NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && user.Identity.Name is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException("Nobody is signed in.");
    }
}
