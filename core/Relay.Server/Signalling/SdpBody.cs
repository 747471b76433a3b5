using System.Text;
using Microsoft.Net.Http.Headers;
using Relay.Server.Http;

namespace Relay.Server.Signalling;

/// <summary>Reads an SDP offer from a WHIP or WHEP request body.</summary>
internal static class SdpBody
{
    public const string ContentType = "application/sdp";

    /// <summary>Browsers' offers are 3 to 10 KB; anything far larger is not an offer.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <returns>The offer text, or null and the problem to answer with.</returns>
    public static async Task<(string? Offer, IResult? Problem)> ReadOfferAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
            || !type.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType(
                $"The offer must be sent with 'Content-Type: {ContentType}'{(string.IsNullOrEmpty(request.ContentType) ? "" : $", not '{request.ContentType}'")}."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.TooLarge($"An SDP offer is at most {MaxBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, Problems.TooLarge($"An SDP offer is at most {MaxBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.BadRequest("The body is empty; send the SDP offer."));
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }
}
