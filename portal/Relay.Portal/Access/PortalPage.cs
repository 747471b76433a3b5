namespace Relay.Portal.Access;

/// <summary>One entry of the portal's navigation: where it is, what it is called, and who may open it.</summary>
/// <param name="Path">The page's route.</param>
/// <param name="Title">Its name in the navigation and its heading.</param>
/// <param name="Roles">A <see cref="PortalRoles"/> constant: who may open it.</param>
public sealed record PortalPage(string Path, string Title, string Roles)
{
    public const string HomePath = "/portal";
    public const string LivePath = "/portal/live";
    public const string NewSessionPath = "/portal/sessions/new";
    public const string EvidencePath = "/portal/evidence";
    public const string AuditPath = "/portal/audit";
    public const string UsersPath = "/portal/users";
    public const string PluginsPath = "/portal/plugins";
    public const string NodesPath = "/portal/nodes";
    public const string TuningPath = "/portal/tuning";
    public const string AccountPath = "/portal/account";

    /// <summary>Every page, in navigation order.</summary>
    public static IReadOnlyList<PortalPage> All { get; } =
    [
        new(HomePath, "Overview", PortalRoles.Anyone),
        new(LivePath, "Live", PortalRoles.Sessions),
        new(NewSessionPath, "New session", PortalRoles.Sessions),
        new(EvidencePath, "Evidence", PortalRoles.Evidence),
        new(AuditPath, "Audit", PortalRoles.Audit),
        new(UsersPath, "Users and roles", PortalRoles.Users),
        new(PluginsPath, "Plugins", PortalRoles.Platform),
        new(NodesPath, "Nodes and metrics", PortalRoles.Platform),
        new(TuningPath, "Tuning", PortalRoles.Platform),
    ];

    /// <summary>The pages someone with <paramref name="roles"/> may open, in navigation order.</summary>
    public static IReadOnlyList<PortalPage> For(IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        string[] held = [.. roles];
        var pages = new List<PortalPage>(All.Count);
        foreach (PortalPage page in All)
        {
            if (PortalRoles.Allows(page.Roles, held))
            {
                pages.Add(page);
            }
        }

        return pages;
    }
}
