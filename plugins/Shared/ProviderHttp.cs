using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Relay.Plugins.Sms;

/// <summary>One HTTP exchange with a provider, read whole: its status and body, or why there was none.</summary>
/// <param name="Status">The HTTP status, or 0 when no answer came.</param>
/// <param name="Body">The body as text (empty when none).</param>
/// <param name="Failure">When no answer came: why, for an officer (timeout, unreachable).</param>
internal sealed record ProviderResponse(int Status, string Body, string? Failure)
{
    public bool IsSuccess => Status is >= 200 and <= 299;

    /// <summary>Rate limits, timeouts and provider outages may pass; anything else will not by retrying.</summary>
    public bool Retryable => Failure is not null || Status is 408 or 429 or >= 500;
}

/// <summary>What the HTTP providers share: sending with timeouts turned into answers, and words for bodies that are not what the provider documents.</summary>
internal static class ProviderHttp
{
    public static async Task<ProviderResponse> SendAsync(HttpClient http, HttpRequestMessage request, string provider, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new ProviderResponse((int)response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
            return new ProviderResponse(0, string.Empty, $"{provider} did not answer within {http.Timeout.TotalSeconds:0} s. Try again; if it keeps happening, the relay's connection to {provider} needs checking.");
        }
        catch (HttpRequestException e)
        {
            return new ProviderResponse(0, string.Empty, $"{provider} could not be reached ({e.Message}). Try again; if it keeps happening, the relay's connection to {provider} needs checking.");
        }
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>The body as a JSON object, or null for anything else (empty, HTML, truncated).</summary>
    public static JsonDocument? TryParseObject(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? GetString(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>A success status whose body cannot be read: the message may have gone, so sending again is not advised.</summary>
    public static string DescribeUnreadableSuccess(string provider, ProviderResponse response) =>
        $"{provider} answered HTTP {response.Status} but its answer could not be read, so Relay cannot tell whether the message went. Ask the caller whether a text arrived before sending again.";

    /// <summary>Says what came back when it was not the provider's documented JSON, without echoing the body.</summary>
    public static string DescribeUnexpected(string provider, ProviderResponse response)
    {
        if (response.Failure is not null)
        {
            return response.Failure;
        }

        string what = string.IsNullOrWhiteSpace(response.Body)
            ? "an empty answer"
            : response.Body.TrimStart().StartsWith('<') ? "an HTML page instead of its API's JSON" : "an answer that is not its API's JSON";
        string status = $"HTTP {response.Status} ({(HttpStatusCode)response.Status})";
        return response.Retryable
            ? $"{provider} is not working right now: it sent {what}, {status}. Try again in a few minutes."
            : $"{provider} sent {what}, {status}; the message was not sent. An engineer should check the relay's {provider} settings (BaseUrl) and any proxy in between.";
    }
}
