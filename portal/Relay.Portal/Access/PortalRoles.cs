namespace Relay.Portal.Access;

/// <summary>
/// Which roles may open each portal page, as <c>[Authorize(Roles = ...)]</c> strings (any one of
/// the comma-separated roles). A supervisor may do whatever an officer may, so every officer page
/// names both. The role names are <see cref="Relay.Control.Users.UserRoles"/>'.
/// </summary>
public static class PortalRoles
{
    /// <summary>Live sessions and creating one: call handlers and their supervisors.</summary>
    public const string Sessions = "officer,supervisor";

    /// <summary>Ending anyone's session: supervisors.</summary>
    public const string EndSessions = "supervisor";

    /// <summary>Searching evidence, its holds, reviews and export: evidence managers only, as <c>/api/evidence</c>.</summary>
    public const string Evidence = "evidence-manager";

    /// <summary>Reading and verifying the audit log: evidence managers (auditors) and supervisors.</summary>
    public const string Audit = "evidence-manager,supervisor";

    /// <summary>Users and their roles: platform engineers.</summary>
    public const string Users = "engineer";

    /// <summary>Plugins, nodes and metrics: platform engineers.</summary>
    public const string Platform = "engineer";

    /// <summary>Every role a person can have: the start page is for anyone signed in.</summary>
    public const string Anyone = "officer,supervisor,evidence-manager,engineer";

    /// <summary>Whether someone holding <paramref name="held"/> satisfies <paramref name="allowed"/> (a <see cref="PortalRoles"/> constant).</summary>
    public static bool Allows(string allowed, IEnumerable<string> held)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(held);
        foreach (string role in held)
        {
            foreach (string candidate in allowed.Split(','))
            {
                if (string.Equals(candidate, role, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
