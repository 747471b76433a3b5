namespace Relay.Server.Http;

/// <summary>
/// Errors as RFC 9457 problem details (<c>application/problem+json</c>): a short title for the kind
/// of problem, and a detail that tells a person what to do about this one.
/// </summary>
internal static class Problems
{
    public static IResult Create(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>401 with a Bearer challenge (RFC 6750 section 3).</summary>
    public static IResult Unauthorized(HttpContext http, string detail, bool invalidToken = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.WWWAuthenticate = invalidToken ? "Bearer realm=\"relay\", error=\"invalid_token\"" : "Bearer realm=\"relay\"";
        return Create(StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    public static IResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Not allowed", detail);

    public static IResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult UnsupportedMediaType(string detail) => Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", detail);

    public static IResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult TooLarge(string detail) => Create(StatusCodes.Status413PayloadTooLarge, "Request body too large", detail);

    public static IResult Validation(string detail, IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "The request is not valid");
}
