using System.Security.Claims;
using Relay.Control.Sessions;
using Relay.Control.Sessions.Sharing;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Sessions.Sharing;

/// <summary>
/// The check every entry point makes before an officer person reaches a session (the session API,
/// the player, WHEP, the location and chat socket, snapshots, sharing): <see cref="SessionAccess"/>'s
/// rule over the request's principal and the stored shares. An API key is a system
/// (<see cref="RelayAuthentication.KeyRoleClaim"/>); anyone else is a person with the roles of their sign-in,
/// which is refused as soon as their roles change (the cookie's security stamp is checked on each request).
/// </summary>
internal sealed class SessionGate(ISessionShares shares)
{
    public static SessionViewer ViewerOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        string name = user.Identity?.Name is { Length: > 0 } signedIn ? signedIn : "unknown";
        if (user.HasClaim(static c => c.Type == RelayAuthentication.KeyRoleClaim))
        {
            return SessionViewer.System(name);
        }

        var roles = new List<string>();
        foreach (Claim claim in user.FindAll(ClaimTypes.Role))
        {
            roles.Add(claim.Value);
        }

        return SessionViewer.Person(name, roles);
    }

    public Task<bool> MaySeeAsync(HttpContext http, CallSession session) => MaySeeAsync(ViewerOf(http.User), session, http.RequestAborted);

    public async Task<bool> MaySeeAsync(SessionViewer viewer, CallSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(session);
        if (SessionAccess.SeesEverySession(viewer) || SessionAccess.Created(viewer, session))
        {
            return SessionAccess.MaySee(viewer, session, sharedWithViewer: false);
        }

        bool shared = await shares.IsSharedWithAsync(session.Id, viewer.Name, cancellationToken).ConfigureAwait(false);
        return SessionAccess.MaySee(viewer, session, shared);
    }

    /// <summary>Those of <paramref name="sessions"/> that <paramref name="viewer"/> may see, in the same order.</summary>
    public async Task<IReadOnlyList<CallSession>> FilterAsync(SessionViewer viewer, IReadOnlyList<CallSession> sessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(sessions);
        if (SessionAccess.SeesEverySession(viewer))
        {
            return sessions;
        }

        IReadOnlySet<string> shared = await shares.SessionsSharedWithAsync(viewer.Name, cancellationToken).ConfigureAwait(false);
        var visible = new List<CallSession>();
        foreach (CallSession session in sessions)
        {
            if (SessionAccess.MaySee(viewer, session, shared.Contains(session.Id)))
            {
                visible.Add(session);
            }
        }

        return visible;
    }

    /// <summary>
    /// The answer to an officer the session is not shared with. A 403 rather than pretending it does not
    /// exist: the ids are random, so saying one exists reveals nothing, and the officer learns what to do.
    /// </summary>
    public static IResult NotShared(string id) => Problems.Forbidden(
        $"Session '{(id.Length <= 64 ? id : id[..64] + "...")}' is not shared with you. Ask a supervisor, or the officer who created it, to share it with you.");
}
