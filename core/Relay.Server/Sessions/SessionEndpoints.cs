using System.Text.Json;
using Microsoft.Extensions.Options;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Sessions;

/// <summary><c>/api/sessions</c>: officers create sessions (and so caller links), read and end them.</summary>
internal static class SessionEndpoints
{
    /// <summary>A session request is a few short fields; anything larger is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

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
        ISessionStore store,
        IOptions<CallSessionOptions> options,
        TimeProvider time)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType("Send the session as JSON with 'Content-Type: application/json': {\"incident\", \"phone\", \"mode\", \"retention\"}.");
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Problems.TooLarge($"A session request is at most {MaxBodyBytes} bytes.");
        }

        CreateSessionRequest? request;
        try
        {
            using var limited = new MemoryStream();
            await http.Request.Body.CopyToAsync(limited, http.RequestAborted).ConfigureAwait(false);
            if (limited.Length > MaxBodyBytes)
            {
                return Problems.TooLarge($"A session request is at most {MaxBodyBytes} bytes.");
            }

            limited.Position = 0;
            request = await JsonSerializer.DeserializeAsync<CreateSessionRequest>(limited, JsonSerializerOptions.Web, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The body is not valid JSON ({e.Message}). Send {{\"incident\", \"phone\", \"mode\", \"retention\"}}.");
        }

        if (request is null)
        {
            return Problems.BadRequest("The body is JSON null. Send {\"incident\", \"phone\", \"mode\", \"retention\"}.");
        }

        CallSessionOptions settings = options.Value;
        Dictionary<string, string[]> errors = SessionRequestValidator.Validate(request, settings.RetentionCategories ?? [], out SessionMode mode);
        if (errors.Count > 0)
        {
            return Problems.Validation(string.Join(" ", Flatten(errors)), errors);
        }

        string token = CallerToken.Create();
        DateTimeOffset now = time.GetUtcNow();
        var session = new CallSession
        {
            Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            Incident = request.Incident!,
            Phone = request.Phone!,
            Mode = mode,
            Retention = request.Retention!,
            CreatedAt = now,
            CreatedBy = ApiKeyFilter.GetIdentity(http)?.Name ?? "unknown",
            CallerTokenHash = CallerToken.Hash(token),
            CallerTokenExpiresAt = now + settings.CallerTokenLifetime,
        };
        await store.AddAsync(session, http.RequestAborted).ConfigureAwait(false);

        string baseUrl = string.IsNullOrEmpty(settings.LinkBaseUrl)
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}"
            : settings.LinkBaseUrl.TrimEnd('/');
        return TypedResults.Created(
            $"/api/sessions/{session.Id}",
            new CreatedSessionResponse(session.Id, $"{baseUrl}/c/{token}", session.CallerTokenExpiresAt));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ISessionStore store, ISessionMedia media)
    {
        IReadOnlyList<CallSession> sessions = await store.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var list = new List<SessionResponse>(sessions.Count);
        foreach (CallSession session in sessions)
        {
            list.Add(SessionResponse.From(session, media.Describe(session.Id)));
        }

        return TypedResults.Ok(list);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ISessionStore store, ISessionMedia media)
    {
        CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        return session is null
            ? NoSuchSession(id)
            : TypedResults.Ok(SessionResponse.From(session, media.Describe(session.Id)));
    }

    private static async Task<IResult> EndAsync(string id, HttpContext http, ISessionStore store, ISessionMedia media, TimeProvider time)
    {
        CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return NoSuchSession(id);
        }

        await store.EndAsync(id, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
        media.End(session.Id);

        return TypedResults.NoContent();
    }

    internal static IResult NoSuchSession(string id) =>
        Problems.NotFound($"There is no session '{Shorten(id)}'. Check the id from POST /api/sessions; sessions are not kept across a restart of this node yet.");

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
