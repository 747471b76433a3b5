using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Relay.Server.Tests.Signalling;

/// <summary>HTTP helpers for sessions, WHIP and WHEP against a <see cref="TestRelay"/>.</summary>
internal static class SignallingClient
{
    /// <summary>Creates a session and presses the caller's Start: the id and the caller key WHIP takes.</summary>
    public static async Task<(string Id, string CallerKey)> CreateSessionAsync(TestRelay relay, string mode = "video")
    {
        (string id, string token) = await CreateSessionWithLinkAsync(relay, mode);
        return (id, await StartAsync(relay, token));
    }

    /// <summary>Creates a session: its id and the link's token (not yet started).</summary>
    public static async Task<(string Id, string Token)> CreateSessionWithLinkAsync(TestRelay relay, string mode = "video")
    {
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync(
            "/api/sessions",
            new { incident = "INC-7", phone = "+447700900123", mode, retention = "mopi-group-3" });
        response.EnsureSuccessStatusCode();
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string link = body.GetProperty("link").GetString()!;
        return (body.GetProperty("id").GetString()!, link[(link.LastIndexOf('/') + 1)..]);
    }

    /// <summary>The caller's Start for <paramref name="token"/>: the caller key.</summary>
    public static async Task<string> StartAsync(TestRelay relay, string token)
    {
        HttpResponseMessage response = await relay.Http.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Start answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("callerKey").GetString()!;
    }

    public static Task<HttpResponseMessage> PostOfferAsync(TestRelay relay, string path, string? bearer, string offer, string contentType = "application/sdp")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(offer, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return relay.Http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteAsync(TestRelay relay, Uri resource, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, resource);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return relay.Http.SendAsync(request);
    }
}
