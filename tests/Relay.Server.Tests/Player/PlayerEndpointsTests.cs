using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Relay.Server.Player;

namespace Relay.Server.Tests.Player;

public sealed class PlayerEndpointsTests
{
    private static async Task<string> CreateAsync(TestRelay relay)
    {
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-9", phone = "+447700900123", mode = "video", retention = "mopi-group-3" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task ThePlayerIsOnlyForOfficersAndOnlyFramedByItsOwnOriginByDefault()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        string id = await CreateAsync(relay);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage anonymous = await relay.Http.GetAsync(new Uri($"/player/{id}", UriKind.Relative));
        HttpResponseMessage page = await officer.GetAsync(new Uri($"/player/{id}", UriKind.Relative));
        HttpResponseMessage unknown = await officer.GetAsync(new Uri("/player/nosuchsession", UriKind.Relative));

        // A browser that is not signed in is sent to the sign-in page, which comes back to the player.
        Assert.Equal("/login", anonymous.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("returnUrl=%2Fplayer%2F" + id, anonymous.RequestMessage.RequestUri.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("frame-ancestors 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        string html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain(PlayerEndpoints.ConfigPlaceholder, html, StringComparison.Ordinal);
        Assert.Contains(id, html, StringComparison.Ordinal);
        Assert.Contains("/lib/leaflet/leaflet.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConfiguredSystemsMayFrameThePlayerAndTheTileUrlReachesThePage()
    {
        await using TestRelay relay = await TestRelay.StartAsync(
            "--Relay:Player:FrameAncestors:0=https://cad.force.example",
            "--Relay:Player:FrameAncestors:1='self'",
            "--Relay:Map:TileUrl=https://tiles.force.example/{z}/{x}/{y}.png?a=1&b=\"2\"");
        string id = await CreateAsync(relay);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage page = await officer.GetAsync(new Uri($"/player/{id}", UriKind.Relative));
        string html = await page.Content.ReadAsStringAsync();

        Assert.Equal("frame-ancestors https://cad.force.example 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("tiles.force.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("b=\"2", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://cad.force.example", true)]
    [InlineData("https://*.force.example", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("'self'", true)]
    [InlineData("https://cad.force.example; script-src *", false)]
    [InlineData("https://cad.force.example/path", false)]
    [InlineData("*", false)]
    [InlineData("'none' https://a", false)]
    [InlineData("javascript:alert(1)", false)]
    public void FrameAncestorsAcceptOnlyOrigins(string source, bool valid) =>
        Assert.Equal(valid, PlayerOptionsValidator.IsSource(source));

    [Fact]
    public async Task ABadFrameAncestorStopsTheRelayStarting()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => TestRelay.StartAsync("--Relay:Player:FrameAncestors:0=https://a.example; script-src *"));
    }
}
