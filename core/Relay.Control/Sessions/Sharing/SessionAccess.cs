using Relay.Control.Users;

namespace Relay.Control.Sessions.Sharing;

/// <summary>
/// Who may see and watch a session, and who may share it (issue 6, "Who uses it"):
/// <list type="bullet">
/// <item>a system with an API key keeps the access it had before sharing existed: every session;</item>
/// <item>a supervisor sees every session;</item>
/// <item>an officer sees the sessions they created and those shared with them, and no others;</item>
/// <item>anyone else (an engineer, an evidence manager) sees none through the live paths.</item>
/// </list>
/// A session may be shared by a supervisor, or by whoever created it (the officer, or the system
/// whose key created it), with an enabled officer who cannot already see it.
/// </summary>
public static class SessionAccess
{
    /// <summary>Whether <paramref name="viewer"/> sees every session without asking about shares.</summary>
    public static bool SeesEverySession(SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return viewer.IsSystem || viewer.IsSupervisor;
    }

    /// <summary>
    /// Whether <paramref name="viewer"/> created <paramref name="session"/>: the same kind of creator (a person for a
    /// session a user created, a system for one an API key created) and the same name (unique regardless of case
    /// within each kind, not across them). Nobody created a session of <see cref="SessionCreatorKind.Unknown"/> kind.
    /// </summary>
    public static bool Created(SessionViewer viewer, CallSession session)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(session);
        SessionCreatorKind kind = viewer.IsSystem ? SessionCreatorKind.ApiKey : SessionCreatorKind.User;
        return session.CreatedByKind == kind && string.Equals(session.CreatedBy, viewer.Name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The rule itself; <paramref name="sharedWithViewer"/> is whether the session is shared with the viewer's name.</summary>
    public static bool MaySee(SessionViewer viewer, CallSession session, bool sharedWithViewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(session);
        if (SeesEverySession(viewer))
        {
            return true;
        }

        return viewer.Has(UserRoles.Officer) && (Created(viewer, session) || sharedWithViewer);
    }

    /// <summary>Whether <paramref name="viewer"/> may share <paramref name="session"/> or stop sharing it: a supervisor, or its creator.</summary>
    public static bool MayShare(SessionViewer viewer, CallSession session)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(session);
        return viewer.IsSupervisor || ((viewer.IsSystem || viewer.Has(UserRoles.Officer)) && Created(viewer, session));
    }

    /// <summary>Null when <paramref name="session"/> may be shared with <paramref name="target"/> (the user named <paramref name="name"/>, null when there is none); otherwise why not, for the person sharing.</summary>
    public static string? RefuseShareWith(CallSession session, string name, RelayUser? target)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(name);
        if (session.State == SessionState.Ended)
        {
            return "The session has ended; there is nothing live left to share. Its evidence is kept for the evidence managers.";
        }

        if (target is null)
        {
            return $"There is no user '{name}'. Give an officer's sign-in name.";
        }

        if (target.Disabled)
        {
            return $"{target.Name} is disabled and cannot sign in; share with an enabled officer.";
        }

        if (target.IsInRole(UserRoles.Supervisor))
        {
            return $"{target.Name} is a supervisor and already sees every session.";
        }

        if (!target.IsInRole(UserRoles.Officer))
        {
            return $"{target.Name} is not an officer (roles: {string.Join(", ", target.Roles)}), so cannot watch sessions.";
        }

        if (session.CreatedByKind == SessionCreatorKind.User && string.Equals(session.CreatedBy, target.Name, StringComparison.OrdinalIgnoreCase))
        {
            return $"{target.Name} created this session and already sees it.";
        }

        return null;
    }
}
