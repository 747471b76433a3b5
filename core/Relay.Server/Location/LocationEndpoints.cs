using Microsoft.Net.Http.Headers;
using Relay.Control.Sessions;
using Relay.Server.Auth;
using Relay.Server.Http;
using Relay.Server.Sessions;
using Relay.Server.Sessions.Sharing;

namespace Relay.Server.Location;

/// <summary>
/// The location and chat WebSockets: <c>/ws/caller/{id}</c> for the caller's page (its caller key
/// in the <c>relay_caller</c> cookie, or as a Bearer) and <c>/ws/sessions/{id}</c> for officers.
/// </summary>
internal static class LocationEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Map("/ws/caller/{id}", CallerAsync);
        routes.Map("/ws/sessions/{id}", OfficerAsync).RequireApiKey(ApiKeyRoles.Officer);
    }

    private static async Task<IResult> CallerAsync(string id, HttpContext http, ICallerAuthenticator callers, LocationHub hub)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest("This is a WebSocket endpoint: open it with new WebSocket(...).");
        }

        // The cookie rides along with any page's WebSocket to this host: only our own pages may use it.
        if (!IsSameOrigin(http))
        {
            return Problems.Forbidden("The WebSocket was opened from another site's page.");
        }

        string? credential = http.Request.Cookies[CallerCookie.Name];
        if (string.IsNullOrEmpty(credential) && BearerToken.TryRead(http.Request, out string? bearer, out _))
        {
            credential = bearer;
        }

        if (string.IsNullOrEmpty(credential) || credential.Length > BearerToken.MaxLength
            || await callers.AuthenticateAsync(id, credential, http.RequestAborted).ConfigureAwait(false) is null)
        {
            return Problems.Unauthorized(http, "This page is not (or no longer) allowed to share for this session. Open the link you were sent again, or ask for a new one.", invalidToken: true);
        }

        using System.Net.WebSockets.WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await hub.RunCallerAsync(id, socket, http.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private static async Task<IResult> OfficerAsync(string id, HttpContext http, ISessionStore store, LocationHub hub, SessionGate gate)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest("This is a WebSocket endpoint: open it with new WebSocket(...).");
        }

        if (await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } session)
        {
            return SessionEndpoints.NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        string officer = ApiKeyFilter.GetIdentity(http)?.Name ?? "officer";
        using System.Net.WebSockets.WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await (SessionGate.ViewerOf(http.User).IsSystem
            ? hub.RunOfficerAsync(id, officer, socket, http.RequestAborted)
            : hub.RunPersonAsync(id, officer, socket, http.RequestAborted)).ConfigureAwait(false);
        return Results.Empty;
    }

    private static bool IsSameOrigin(HttpContext http)
    {
        string? origin = http.Request.Headers[HeaderNames.Origin];
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri)
            && string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
