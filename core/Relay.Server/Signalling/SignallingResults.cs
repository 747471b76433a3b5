using Relay.Server.Http;
using Relay.Server.Media;

namespace Relay.Server.Signalling;

internal static class SignallingResults
{
    /// <summary>201 with the SDP answer and the resource's URL (RFC 9725 section 4.2).</summary>
    public static IResult Created(HttpContext http, string location, string resourceId, string answer)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.Location = location;
        http.Response.Headers.ETag = $"\"{resourceId}\"";
        return Results.Text(answer, SdpBody.ContentType, System.Text.Encoding.UTF8, StatusCodes.Status201Created);
    }

    public static IResult? MediaUnavailable(MediaNode node) =>
        node.IsRunning
            ? null
            : Problems.Create(StatusCodes.Status503ServiceUnavailable, "Media unavailable", "This node's UDP media port is not up, so it cannot take peers now; try again shortly or use another node.");
}
