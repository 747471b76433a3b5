using System.Globalization;
using Microsoft.Extensions.FileProviders;
using Relay.Control.Sessions;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Sessions;

/// <summary>
/// The caller's side of a session. <c>GET /c/{token}</c> serves the caller page without spending
/// the token (link-preview robots open links too); <c>POST /c/{token}/start</c> is the caller's
/// explicit Start, which spends the token and mints the caller key that binds the session to the
/// device; <c>POST /api/caller/{id}/stop</c> is the caller's Stop.
/// </summary>
internal static partial class CallerEndpoints
{
    /// <summary>The caller page, written by the journey work; a placeholder until then.</summary>
    public const string PagePath = "caller/index.html";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/c/{token}", OpenAsync);
        routes.MapPost("/c/{token}/start", StartAsync);
        routes.MapPost("/api/caller/{id}/stop", StopAsync);
    }

    private static async Task<IResult> OpenAsync(string token, HttpContext http, CallerAccess access, IWebHostEnvironment environment, ILogger<CallerAccess> logger)
    {
        // The token is in the URL: keep it out of caches, referrers and search indexes.
        IHeaderDictionary headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex";

        CallerLinkCheck check = await access.CheckLinkAsync(token, http.Connection.RemoteIpAddress, http.RequestAborted).ConfigureAwait(false);
        if (check.Status != CallerLinkStatus.Valid)
        {
            LogRefusal(http, logger, check.Status, check.RetryAfter);
            return TypedResults.Content(CallerPages.Html(check.Status, check.RetryAfter), "text/html; charset=utf-8", statusCode: CallerPages.StatusCode(check.Status));
        }

        IFileInfo page = environment.WebRootFileProvider.GetFileInfo(PagePath);
        if (!page.Exists || page.PhysicalPath is null)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Caller page missing", $"The relay has no wwwroot/{PagePath}; reinstall the relay's files.");
        }

        return TypedResults.PhysicalFile(page.PhysicalPath, "text/html; charset=utf-8");
    }

    private static async Task<IResult> StartAsync(string token, HttpContext http, CallerAccess access, ILogger<CallerAccess> logger)
    {
        http.Response.Headers.CacheControl = "no-store";
        CallerStart start = await access.StartAsync(token, http.Connection.RemoteIpAddress, http.RequestAborted).ConfigureAwait(false);
        if (start.Status != CallerLinkStatus.Valid)
        {
            LogRefusal(http, logger, start.Status, start.RetryAfter);
            return start.Status switch
            {
                CallerLinkStatus.Unknown => Problems.NotFound("This link is not recognised. Open the whole link from the text message, or ask the officer for a new one."),
                CallerLinkStatus.Expired => Problems.Create(StatusCodes.Status410Gone, "Link expired", "This link has expired. Ask the officer or call handler to send a new one."),
                CallerLinkStatus.Spent => Problems.Create(StatusCodes.Status410Gone, "Link already used", "This link has already been started, on this or another phone; each link starts once. Ask the officer for a new link if you need to share again."),
                CallerLinkStatus.Ended => Problems.Create(StatusCodes.Status410Gone, "Session ended", "The police have ended this request. Ask for a new link if you still need to share."),
                _ => TooManyAttempts(http, start.RetryAfter),
            };
        }

        CallSession session = start.Session!;
        string key = start.CallerKey!;
        http.Response.Cookies.Append(CallerCookie.Name, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Secure = http.Request.IsHttps,
            IsEssential = true,
        });
        Log.CallerStarted(logger, session.Id);
        return TypedResults.Ok(new CallerStartResponse(
            session.Id,
            key,
            session.Mode == SessionMode.Location ? "location" : "video",
            session.Audio,
            $"/whip/{session.Id}",
            $"/ws/caller/{session.Id}"));
    }

    private static async Task<IResult> StopAsync(string id, HttpContext http, CallerAccess access, ISessionStore store, ISessionMedia media, SessionStateChanges changes, AuditTrail audit, TimeProvider time, ILogger<CallerAccess> logger)
    {
        string? key = ReadCallerKey(http);
        if (key is null)
        {
            return Problems.Unauthorized(http, "No caller key was sent. Stop from the caller page, which holds the key from Start (the relay_caller cookie or 'Authorization: Bearer <caller key>').");
        }

        CallSession? session = await access.FindByCallerKeyAsync(id, key, http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return Problems.Unauthorized(http, "The caller key is not valid for this session. Open the link you were sent again, or ask for a new one.", invalidToken: true);
        }

        bool ended = await store.EndAsync(id, time.GetUtcNow(), AuditTrail.Caller, http.RequestAborted).ConfigureAwait(false);
        if (ended)
        {
            Log.CallerStopped(logger, id);
        }

        // Always, so a repeated Stop after a failed one still ends any media left.
        media.End(id);
        changes.Changed(id);
        if (ended)
        {
            await audit.SessionEndedAsync(AuditTrail.Caller, id).ConfigureAwait(false);
        }

        return TypedResults.NoContent();
    }

    /// <summary>The caller key from 'Authorization: Bearer' or, failing that, the <see cref="CallerCookie"/>.</summary>
    internal static string? ReadCallerKey(HttpContext http)
    {
        if (BearerToken.TryRead(http.Request, out string? bearer, out _))
        {
            return bearer;
        }

        return http.Request.Cookies.TryGetValue(CallerCookie.Name, out string? cookie) && cookie.Length > 0 ? cookie : null;
    }

    internal static IResult TooManyAttempts(HttpContext http, TimeSpan retryAfter)
    {
        int seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(
            StatusCodes.Status429TooManyRequests,
            "Too many attempts",
            $"Too many links that do not exist were tried from this address. Wait {seconds} seconds, then open the link from the text message again.");
    }

    private static void LogRefusal(HttpContext http, ILogger logger, CallerLinkStatus status, TimeSpan retryAfter)
    {
        if (status == CallerLinkStatus.Limited)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            Log.GuessesLimited(logger, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Caller started session {SessionId}: link spent, caller key issued")]
        public static partial void CallerStarted(ILogger logger, string sessionId);

        [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Caller stopped session {SessionId}")]
        public static partial void CallerStopped(ILogger logger, string sessionId);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Caller link refused for {Client}: too many failed guesses")]
        public static partial void GuessesLimited(ILogger logger, string client);
    }
}

/// <summary>The answer to the caller's Start (JOURNEY_API.md "Caller access").</summary>
internal sealed record CallerStartResponse(string SessionId, string CallerKey, string Mode, bool Audio, string Whip, string Events);
