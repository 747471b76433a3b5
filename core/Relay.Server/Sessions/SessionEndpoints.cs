using System.Text.Json;
using Microsoft.Extensions.Options;
using Relay.Control.Evidence.Retention;
using Relay.Control.Location;
using Relay.Control.Sessions;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;
using Relay.Server.Sessions.Sharing;

namespace Relay.Server.Sessions;

/// <summary><c>/api/sessions</c>: officers create sessions (and so caller links), read and end them.</summary>
internal static class SessionEndpoints
{
    /// <summary>A session request is a few short fields; anything larger is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const string Shape = "{\"incident\", \"phone\", \"mode\", \"audio\", \"retention\"?}";

    public static void Map(IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/sessions").RequireRole(RelayRoles.Officer);
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", EndAsync);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http,
        SessionLinkSender links,
        AuditTrail audit,
        IOptionsMonitor<CallSessionOptions> options,
        IRetentionCategories retention,
        TimeProvider time)
    {
        (CreateSessionRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<CreateSessionRequest>(http, MaxBodyBytes, "A session request", Shape).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        string requestBaseUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var creator = new SessionCreator(links, audit, options, retention, time);
        SessionCreation created = await creator.CreateAsync(request, AuditTrail.ActorOf(http), SessionGate.ViewerOf(http.User).IsSystem ? SessionCreatorKind.ApiKey : SessionCreatorKind.User, requestBaseUrl, http.RequestAborted).ConfigureAwait(false);
        if (created.Errors is { } errors)
        {
            return Problems.Validation(string.Join(" ", Flatten(errors)), errors);
        }

        if (created.Refusal is { } refusal)
        {
            return SessionLinkSender.Refuse(refusal);
        }

        CallSession session = created.Session!;
        return TypedResults.Created(
            $"/api/sessions/{session.Id}",
            new CreatedSessionResponse(session.Id, created.Link!, session.CallerTokenExpiresAt, SmsResponse.From(created.Sms!)));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ISessionStore store, ISessionMedia media, ILocationDirectory locations, SessionGate gate)
    {
        // An officer person lists only the sessions they created or that are shared with them.
        IReadOnlyList<CallSession> sessions = await gate.FilterAsync(
            SessionGate.ViewerOf(http.User),
            await store.ListAsync(cancellationToken: http.RequestAborted).ConfigureAwait(false),
            http.RequestAborted).ConfigureAwait(false);
        var list = new List<SessionResponse>(sessions.Count);
        foreach (CallSession session in sessions)
        {
            list.Add(SessionResponse.From(session, media.Describe(session.Id), locations.GetLast(session.Id)));
        }

        return TypedResults.Ok(list);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ISessionStore store, ISessionMedia media, ILocationDirectory locations, SessionLinkSender links, SessionGate gate)
    {
        CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        // The SMS's delivery state comes from the provider while the message is on its way.
        session = await links.RefreshDeliveryAsync(session, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(SessionResponse.From(session, media.Describe(session.Id), locations.GetLast(session.Id)));
    }

    /// <summary>Ends the session for everyone: the caller key stops working and the media ends at once.</summary>
    private static async Task<IResult> EndAsync(string id, HttpContext http, ISessionStore store, ISessionMedia media, SessionStateChanges changes, AuditTrail audit, TimeProvider time, SessionGate gate)
    {
        CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        string officer = ApiKeyFilter.GetIdentity(http)?.Name ?? "officer";
        bool ended = await store.EndAsync(id, time.GetUtcNow(), officer, http.RequestAborted).ConfigureAwait(false);
        media.End(session.Id);
        changes.Changed(session.Id);
        if (ended)
        {
            await audit.SessionEndedAsync(officer, session.Id).ConfigureAwait(false);
        }

        return TypedResults.NoContent();
    }

    internal static IResult NoSuchSession(string id) =>
        Problems.NotFound($"There is no session '{Shorten(id)}'. Check the id from POST /api/sessions.");

    private static string Shorten(string id) => id.Length <= 64 ? id : id[..64] + "...";

    private static IEnumerable<string> Flatten(Dictionary<string, string[]> errors)
    {
        foreach (KeyValuePair<string, string[]> entry in errors)
        {
            foreach (string message in entry.Value)
            {
                yield return message;
            }
        }
    }
}
