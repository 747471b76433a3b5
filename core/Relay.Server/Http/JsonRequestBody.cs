using System.Text.Json;

namespace Relay.Server.Http;

/// <summary>
/// Reads a small JSON request body for the API's endpoints: JSON content type required, at most
/// <c>maxBytes</c> read (counted as it arrives, so a chunked body without a length cannot make the
/// relay buffer more), and every refusal a problem that says what to send instead.
/// </summary>
internal static class JsonRequestBody
{
    /// <param name="http">The request.</param>
    /// <param name="maxBytes">The most the body may be.</param>
    /// <param name="what">What the body is, for messages ("A session request").</param>
    /// <param name="shape">The JSON expected, for messages (<c>{"reason"}</c>).</param>
    /// <param name="describeParserError">Whether a JSON error names what the parser found (not for bodies holding secrets).</param>
    /// <returns>The request, or the problem to answer with.</returns>
    public static async Task<(T? Request, IResult? Problem)> ReadAsync<T>(HttpContext http, int maxBytes, string what, string shape, bool describeParserError = true)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType($"Send {what.ToLowerInvariant()} as JSON with 'Content-Type: application/json': {shape}."));
        }

        string tooLarge = $"{what} is at most {maxBytes} bytes.";
        if (http.Request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge(tooLarge));
        }

        try
        {
            using var limited = new MemoryStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                limited.Write(buffer, 0, read);
                if (limited.Length > maxBytes)
                {
                    return (null, Problems.TooLarge(tooLarge));
                }
            }

            limited.Position = 0;
            T? request = await JsonSerializer.DeserializeAsync<T>(limited, JsonSerializerOptions.Web, http.RequestAborted).ConfigureAwait(false);
            return request is null ? (null, Problems.BadRequest($"The body is JSON null. Send {shape}.")) : (request, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest(describeParserError ? $"The body is not valid JSON ({e.Message}). Send {shape}." : $"The body is not valid JSON. Send {shape}."));
        }
    }
}
