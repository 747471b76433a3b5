namespace Relay.Server.Http;

/// <summary>
/// CORS for WHIP and WHEP (RFC 9725 section 4.1 asks endpoints to answer preflight), so a page
/// on another origin can publish or watch: any origin, since the Bearer token, not a cookie, is the
/// credential. Preflight (OPTIONS) is answered here; every other response under the paths gets
/// the allow-origin and expose headers, errors included, so a page can read the problem.
/// </summary>
internal sealed class WebRtcCors(RequestDelegate next)
{
    public const string AllowedMethods = "POST, DELETE, OPTIONS";
    public const string AllowedHeaders = "Authorization, Content-Type, If-Match";
    public const string ExposedHeaders = "Location, ETag, Link, Accept-Post";

    public Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!IsSignallingPath(http.Request.Path))
        {
            return next(http);
        }

        if (!HttpMethods.IsOptions(http.Request.Method))
        {
            // Added as the response starts, so a response the exception handler rewrote carries them too.
            http.Response.OnStarting(static state => AddResponseHeaders((HttpContext)state), http);
            return next(http);
        }

        AddResponseHeaders(http);
        IHeaderDictionary headers = http.Response.Headers;

        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = "86400";
        headers["Accept-Post"] = "application/sdp";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task AddResponseHeaders(HttpContext http)
    {
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        return Task.CompletedTask;
    }

    public static bool IsSignallingPath(PathString path) =>
        path.StartsWithSegments("/whip", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/whep", StringComparison.OrdinalIgnoreCase);
}
