using Relay.Control.Sessions;
using Relay.Control.Sessions.Sharing;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Sessions.Sharing;

/// <summary>
/// <c>/api/sessions/{id}/shares</c>: whom a session is shared with (anyone who may see it), and sharing
/// it or stopping (a supervisor or its creator, with a reason that goes into the audit log).
/// </summary>
internal static class SharingEndpoints
{
    private const int MaxBodyBytes = 4 * 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder group = routes.MapGroup("/api/sessions/{id}/shares").RequireRole(RelayRoles.Officer);
        group.MapGet("", ListAsync);
        group.MapPost("", ShareAsync);
        group.MapDelete("/{officer}", UnshareAsync);
    }

    private static async Task<IResult> ListAsync(string id, HttpContext http, ISessionStore store, SessionGate gate, ISessionShares shares)
    {
        CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return SessionEndpoints.NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        IReadOnlyList<SessionShare> list = await shares.ListAsync(id, http.RequestAborted).ConfigureAwait(false);
        var response = new List<ShareResponse>(list.Count);
        foreach (SessionShare share in list)
        {
            response.Add(new ShareResponse(share.Officer, share.SharedBy, share.SharedAt, share.Reason));
        }

        return TypedResults.Ok(response);
    }

    private static async Task<IResult> ShareAsync(string id, HttpContext http, SessionSharing sharing)
    {
        (ShareRequest? request, IResult? problem) = await JsonRequestBody.ReadAsync<ShareRequest>(http, MaxBodyBytes, "A share", "{\"officer\", \"reason\"}").ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        SharingOutcome outcome = await sharing.ShareAsync(SessionGate.ViewerOf(http.User), id, request.Officer ?? "", request.Reason, http.RequestAborted).ConfigureAwait(false);
        return outcome.Result switch
        {
            SharingResult.Done => TypedResults.Created($"/api/sessions/{id}/shares/{Uri.EscapeDataString(request.Officer!.Trim())}", new { message = outcome.Message }),
            SharingResult.Unchanged => TypedResults.Ok(new { message = outcome.Message }),
            _ => Refusal(id, outcome),
        };
    }

    /// <summary>The reason comes as <c>?reason=</c>: a DELETE has no body many clients will send.</summary>
    private static async Task<IResult> UnshareAsync(string id, string officer, string? reason, HttpContext http, SessionSharing sharing)
    {
        SharingOutcome outcome = await sharing.UnshareAsync(SessionGate.ViewerOf(http.User), id, officer, reason, http.RequestAborted).ConfigureAwait(false);
        return outcome.Result switch
        {
            SharingResult.Done => TypedResults.NoContent(),
            SharingResult.Unchanged => Problems.NotFound(outcome.Message),
            _ => Refusal(id, outcome),
        };
    }

    private static IResult Refusal(string id, SharingOutcome outcome) => outcome.Result switch
    {
        SharingResult.NoSuchSession => SessionEndpoints.NoSuchSession(id),
        SharingResult.NotShared => SessionGate.NotShared(id),
        SharingResult.NotAllowed => Problems.Forbidden(outcome.Message),
        SharingResult.NotRecorded => Problems.Create(StatusCodes.Status500InternalServerError, "Audit log unavailable", outcome.Message),
        _ => Problems.BadRequest(outcome.Message),
    };
}
