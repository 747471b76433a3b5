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

        IHeaderDictionary headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = ExposedHeaders;
        if (!HttpMethods.IsOptions(http.Request.Method))
        {
            return next(http);
        }

        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = "86400";
        headers["Accept-Post"] = "application/sdp";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    public static bool IsSignallingPath(PathString path) =>
        path.StartsWithSegments("/whip", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/whep", StringComparison.OrdinalIgnoreCase);
}
