using System.Net;
using System.Text.Json;

namespace Relay.Server.Tests;

/// <summary>Checks that a response is an RFC 9457 problem with the expected status, and returns its JSON.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detailContains = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        string detail = problem.GetProperty("detail").GetString() ?? "";
        Assert.False(string.IsNullOrWhiteSpace(detail), "A problem needs a detail a person can act on.");
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
        }

        return problem;
    }
}
