using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Relay.Load;

/// <summary>
/// The relay's HTTP contract as a system uses it (ARCHITECTURE.md): create a session with an API key,
/// publish over WHIP and watch over WHEP. Errors carry the relay's problem+json text.
/// </summary>
internal sealed class SignallingClient(HttpClient http, string apiKey)
{
    public async Task<string> CreateSessionAsync(string incident, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { incident, phone = "+447700900123", mode = "video", retention = "mopi-group-3" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, body, "POST /api/sessions");
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString() ?? throw new InvalidDataException("The session has no id.");
    }

    public Task<(string Answer, Uri Resource)> PublishAsync(string sessionId, string offer, CancellationToken cancellationToken) =>
        ExchangeAsync("/whip/" + Uri.EscapeDataString(sessionId), offer, cancellationToken);

    public Task<(string Answer, Uri Resource)> ViewAsync(string sessionId, string offer, CancellationToken cancellationToken) =>
        ExchangeAsync("/whep/" + Uri.EscapeDataString(sessionId), offer, cancellationToken);

    public async Task DeleteAsync(Uri resource, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, resource);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, body, "GET " + path);
        return body;
    }

    private async Task<(string Answer, Uri Resource)> ExchangeAsync(string path, string offer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(offer, Encoding.UTF8, "application/sdp"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, body, "POST " + path);
        Uri location = response.Headers.Location ?? throw new InvalidDataException($"POST {path} returned no Location.");
        return (body, location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location));
    }

    private static void EnsureSuccess(HttpResponseMessage response, string body, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what} failed with {(int)response.StatusCode}: {body}");
        }
    }
}
