using Relay.Control.Sessions;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;
using Relay.Server.Sessions;
using Relay.Server.Sessions.Sharing;

namespace Relay.Server.Player;

/// <summary><c>POST /api/sessions/{id}/snapshots</c>: an officer saves a still frame of the live video (a JPEG body) into the session's evidence.</summary>
internal static partial class SnapshotEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/sessions/{id}/snapshots", SaveAsync).RequireApiKey(ApiKeyRoles.Officer);
    }

    private static async Task<IResult> SaveAsync(string id, HttpContext http, ISessionStore store, SnapshotStore snapshots, AuditTrail audit, TimeProvider time, ILogger<SnapshotStore> logger, SessionGate gate)
    {
        if (http.Request.ContentType is not "image/jpeg")
        {
            return Problems.UnsupportedMediaType("Send the still frame as a JPEG with 'Content-Type: image/jpeg'.");
        }

        if (http.Request.ContentLength > SnapshotStore.MaxBytes)
        {
            return Problems.TooLarge($"A snapshot is at most {SnapshotStore.MaxBytes / (1024 * 1024)} MB.");
        }

        if (await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } session)
        {
            return SessionEndpoints.NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        using var body = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > SnapshotStore.MaxBytes)
            {
                return Problems.TooLarge($"A snapshot is at most {SnapshotStore.MaxBytes / (1024 * 1024)} MB.");
            }

            body.Write(buffer, 0, read);
        }

        ReadOnlyMemory<byte> jpeg = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (!SnapshotStore.IsJpeg(jpeg.Span))
        {
            return Problems.BadRequest("The body is not a whole JPEG image (it must start with FF D8 FF and end with FF D9).");
        }

        string officer = ApiKeyFilter.GetIdentity(http)?.Name ?? "officer";
        SavedSnapshot saved = await snapshots.SaveAsync(id, jpeg, time.GetUtcNow(), officer, http.RequestAborted).ConfigureAwait(false);
        Log.Saved(logger, id, saved.Name, saved.Sha256, officer);
        await audit.SnapshotCollectedAsync(http, id, saved.Name, saved.Sha256, jpeg.Length).ConfigureAwait(false);
        return TypedResults.Created($"/api/sessions/{id}/snapshots/{saved.Name}", saved);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Snapshot of session {SessionId} saved as {Name} (SHA-256 {Sha256}) by {Officer}")]
        public static partial void Saved(ILogger logger, string sessionId, string name, string sha256, string officer);
    }
}
