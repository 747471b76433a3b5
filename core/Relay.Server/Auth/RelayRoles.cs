using Relay.Control.Users;

namespace Relay.Server.Auth;

/// <summary>
/// The roles endpoints ask for (<see cref="AuthorizationEndpointExtensions.RequireRole"/>): the
/// people's roles, and <see cref="Publisher"/>, which only an API key has. A key's role is mapped
/// to these when it authenticates (<see cref="ForApiKey"/>).
/// </summary>
internal static class RelayRoles
{
    public const string Officer = UserRoles.Officer;
    public const string Supervisor = UserRoles.Supervisor;
    public const string EvidenceManager = UserRoles.EvidenceManager;
    public const string Engineer = UserRoles.Engineer;

    /// <summary>A WHIP client's key (OBS, GStreamer, a body camera gateway); no person has it.</summary>
    public const string Publisher = ApiKeyRoles.Publisher;

    /// <summary>The role a key of role <paramref name="keyRole"/> has: officer stays officer, operator is an engineer, publisher stays publisher.</summary>
    public static string ForApiKey(string keyRole) => keyRole switch
    {
        ApiKeyRoles.Operator => Engineer,
        _ => keyRole,
    };

    /// <summary>The key role that maps to <paramref name="role"/>, for telling a key's holder what they need; null when no key can have it.</summary>
    public static string? ApiKeyRoleFor(string role) => role switch
    {
        Officer => ApiKeyRoles.Officer,
        Engineer => ApiKeyRoles.Operator,
        Publisher => ApiKeyRoles.Publisher,
        _ => null,
    };

    /// <summary>
    /// The roles that satisfy a requirement for <paramref name="roles"/>: a supervisor may do
    /// whatever an officer may.
    /// </summary>
    public static string[] WithInherited(IReadOnlyList<string> roles)
    {
        var expanded = new List<string>(roles.Count + 1);
        foreach (string role in roles)
        {
            if (!expanded.Contains(role))
            {
                expanded.Add(role);
            }
        }

        if (expanded.Contains(Officer) && !expanded.Contains(Supervisor))
        {
            expanded.Add(Supervisor);
        }

        return [.. expanded];
    }
}
