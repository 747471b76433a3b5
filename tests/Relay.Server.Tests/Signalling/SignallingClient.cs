using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Relay.Server.Tests.Signalling;

/// <summary>HTTP helpers for sessions, WHIP and WHEP against a <see cref="TestRelay"/>.</summary>
internal static class SignallingClient
{
    public static async Task<(string Id, string CallerToken)> CreateSessionAsync(TestRelay relay, string mode = "video")
    {
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync(
            "/api/sessions",
            new { incident = "INC-7", phone = "+447700900123", mode, retention = "standard" });
        response.EnsureSuccessStatusCode();
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string link = body.GetProperty("link").GetString()!;
        return (body.GetProperty("id").GetString()!, link[(link.LastIndexOf('/') + 1)..]);
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
