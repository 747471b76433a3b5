using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Sessions;
using Relay.Server.Tests.Signalling;
using Relay.Transport.Peers;

namespace Relay.Server.Tests.Sessions;

public sealed class CallerEndpointsTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private TestRelay Relay => fixture.Relay;

    [Fact]
    public async Task OpeningTheLink_ServesTheCallerPage_WithoutSpendingTheToken()
    {
        (string id, string token) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        using HttpClient browser = NewBrowser();

        HttpResponseMessage first = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));
        HttpResponseMessage second = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", first.Headers.GetValues("Referrer-Policy").Single());
        JsonElement session = await Officer().GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("waiting", session.GetProperty("state").GetString());
        Assert.False(session.GetProperty("linkUsed").GetBoolean());
    }

    [Fact]
    public async Task Start_SpendsTheToken_AndReturnsTheCallerKeyAsJsonAndAsAStrictHttpOnlyCookie()
    {
        (string id, string token) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        using HttpClient browser = NewBrowser();

        HttpResponseMessage response = await browser.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string key = body.GetProperty("callerKey").GetString()!;
        Assert.Equal(id, body.GetProperty("sessionId").GetString());
        Assert.Equal(43, key.Length);
        Assert.NotEqual(token, key);
        Assert.Equal("video", body.GetProperty("mode").GetString());
        Assert.False(body.GetProperty("audio").GetBoolean());
        Assert.Equal($"/whip/{id}", body.GetProperty("whip").GetString());
        Assert.Equal($"/ws/caller/{id}", body.GetProperty("events").GetString());
        string cookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith($"{CallerCookie.Name}={key};", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        JsonElement session = await Officer().GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("live", session.GetProperty("state").GetString());
        Assert.True(session.GetProperty("linkUsed").GetBoolean());
    }

    [Fact]
    public async Task TheTokenStartsOnlyOnce_ThenTheLinkShowsItWasUsed()
    {
        (_, string token) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        await SignallingClient.StartAsync(Relay, token);
        using HttpClient browser = NewBrowser();

        HttpResponseMessage again = await browser.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);
        HttpResponseMessage page = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Gone, "already been started");
        Assert.False(again.Headers.Contains("Set-Cookie"));
        await AssertErrorPageAsync(page, HttpStatusCode.Gone, "already been used", "eisoes wedi'i defnyddio");
    }

    [Fact]
    public async Task TheCallerKeyPublishesOverWhip_AgainOnAReconnect_ButTheLinkTokenDoesNot()
    {
        (string id, string token) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        string key = await SignallingClient.StartAsync(Relay, token);
        await using var first = new TestWebRtcPeer();
        await using var reconnect = new TestWebRtcPeer();
        await using var withToken = new TestWebRtcPeer();

        HttpResponseMessage published = await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", key, first.CreatePublishOffer());
        HttpResponseMessage republished = await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", key, reconnect.CreatePublishOffer());
        HttpResponseMessage refused = await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", token, withToken.CreatePublishOffer());

        Assert.True(published.StatusCode == HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        Assert.True(republished.StatusCode == HttpStatusCode.Created, await republished.Content.ReadAsStringAsync());
        Assert.NotEqual(published.Headers.Location, republished.Headers.Location);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized, "link's token");
    }

    [Fact]
    public async Task AnApiKeyWithThePublisherRoleStillPublishes()
    {
        (string id, _) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        await using var obs = new TestWebRtcPeer();

        HttpResponseMessage published = await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", TestRelay.PublisherKey, obs.CreatePublishOffer());

        Assert.True(published.StatusCode == HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheCallerAuthenticatorGrantsTheKeyForItsSessionOnly_UntilTheOfficerEndsIt()
    {
        (string id, string key) = await SignallingClient.CreateSessionAsync(Relay, "location");
        (string otherId, _) = await SignallingClient.CreateSessionAsync(Relay);
        ICallerAuthenticator authenticator = Relay.Services.GetRequiredService<ICallerAuthenticator>();

        CallerGrant? grant = await authenticator.AuthenticateAsync(id, key, CancellationToken.None);
        CallerGrant? elsewhere = await authenticator.AuthenticateAsync(otherId, key, CancellationToken.None);
        (await Officer().DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).EnsureSuccessStatusCode();
        CallerGrant? revoked = await authenticator.AuthenticateAsync(id, key, CancellationToken.None);

        Assert.Equal(new CallerGrant(id, SessionMode.Location, false), grant);
        Assert.Null(elsewhere);
        Assert.Null(revoked);
    }

    [Fact]
    public async Task AnUnknownLink_IsA404PageInEnglishAndWelsh()
    {
        using HttpClient browser = NewBrowser();

        HttpResponseMessage page = await browser.GetAsync(new Uri("/c/" + CallerSecret.Create(), UriKind.Relative));

        await AssertErrorPageAsync(page, HttpStatusCode.NotFound, "not recognised", "Nid yw'r ddolen hon yn cael ei hadnabod");
    }

    [Fact]
    public async Task AnExpiredLink_IsA410Page_AndCannotStart()
    {
        string token = CallerSecret.Create();
        DateTimeOffset past = DateTimeOffset.UtcNow.AddHours(-1);
        await Relay.Services.GetRequiredService<ISessionStore>().AddAsync(new CallSession
        {
            Id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            Incident = "INC-OLD",
            Phone = "+447700900123",
            Mode = SessionMode.Video,
            Retention = "standard",
            CreatedAt = past,
            CreatedBy = "cad",
            CallerTokenHash = CallerSecret.Hash(token),
            CallerTokenExpiresAt = past.AddMinutes(30),
        });
        using HttpClient browser = NewBrowser();

        HttpResponseMessage page = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));
        HttpResponseMessage start = await browser.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);

        await AssertErrorPageAsync(page, HttpStatusCode.Gone, "expired", "wedi dod i ben");
        await ProblemAssert.IsProblemAsync(start, HttpStatusCode.Gone, "expired");
    }

    [Fact]
    public async Task ALinkWhoseSessionTheOfficerEnded_IsA410Page()
    {
        (string id, string token) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        (await Officer().DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).EnsureSuccessStatusCode();
        using HttpClient browser = NewBrowser();

        HttpResponseMessage page = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));

        await AssertErrorPageAsync(page, HttpStatusCode.Gone, "ended", "wedi dod â'r cais hwn i ben");
    }

    [Fact]
    public async Task TheCallersStop_EndsTheSessionAndTheStreamForEveryViewerAtOnce()
    {
        (string id, string key) = await SignallingClient.CreateSessionAsync(Relay);
        await using var publisher = new TestWebRtcPeer();
        await using var viewer = new TestWebRtcPeer();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", key, publisher.CreatePublishOffer());
        publisher.Connect(await published.Content.ReadAsStringAsync());
        await publisher.WaitConnectedAsync();
        HttpResponseMessage watched = await SignallingClient.PostOfferAsync(Relay, $"/whep/{id}", TestRelay.OfficerKey, viewer.CreateViewOffer());
        viewer.Connect(await watched.Content.ReadAsStringAsync());
        await viewer.WaitConnectedAsync();
        using HttpClient caller = NewBrowser();
        caller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        HttpResponseMessage stopped = await caller.PostAsync(new Uri($"/api/caller/{id}/stop", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
        var waited = Stopwatch.StartNew();
        while (viewer.Transport!.State < PeerTransportState.Failed && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(PeerTransportState.Closed, viewer.Transport.State);
        JsonElement session = await Officer().GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("ended", session.GetProperty("state").GetString());
        Assert.Equal("caller", session.GetProperty("endedBy").GetString());
        Assert.Equal("none", session.GetProperty("media").GetProperty("stream").GetString());
        await using var again = new TestWebRtcPeer();
        await ProblemAssert.IsProblemAsync(await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", key, again.CreatePublishOffer()), HttpStatusCode.Forbidden, "ended");
    }

    [Fact]
    public async Task TheCallersStop_TakesTheCookie_AndRefusesAWrongKey()
    {
        (string id, string token) = await SignallingClient.CreateSessionWithLinkAsync(Relay);
        using HttpClient browser = NewBrowser(useCookies: true);
        (await browser.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using HttpClient stranger = NewBrowser();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CallerSecret.Create());

        HttpResponseMessage refused = await stranger.PostAsync(new Uri($"/api/caller/{id}/stop", UriKind.Relative), null);
        HttpResponseMessage stopped = await browser.PostAsync(new Uri($"/api/caller/{id}/stop", UriKind.Relative), null);

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized, "not valid for this session");
        Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
    }

    [Fact]
    public async Task TooManyFailedGuesses_LimitTheAddress_EvenForARightToken()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:Sessions:FailedGuessLimit=3");
        (_, string token) = await SignallingClient.CreateSessionWithLinkAsync(relay);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = relay.BaseAddress };
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(new Uri("/c/" + CallerSecret.Create(), UriKind.Relative))).StatusCode);
        }

        HttpResponseMessage page = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));
        HttpResponseMessage start = await browser.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);

        await AssertErrorPageAsync(page, HttpStatusCode.TooManyRequests, "Too many attempts", "Gormod o ymdrechion");
        Assert.InRange(page.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsProblemAsync(start, HttpStatusCode.TooManyRequests, "Wait");
    }

    [Theory]
    [InlineData("x")]
    [InlineData("AAAA%20AAAA%09")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%F0%9F%98%80AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    public async Task HostileTokens_GetTheUnknownPage_NeverAnError(string token)
    {
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:Sessions:FailedGuessLimit=100");
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = relay.BaseAddress };

        HttpResponseMessage page = await browser.GetAsync(new Uri($"/c/{token}", UriKind.Relative));
        HttpResponseMessage start = await browser.PostAsync(new Uri($"/c/{token}/start", UriKind.Relative), null);

        await AssertErrorPageAsync(page, HttpStatusCode.NotFound, "not recognised", "Nid yw'r ddolen hon");
        await ProblemAssert.IsProblemAsync(start, HttpStatusCode.NotFound, "not recognised");
        Assert.DoesNotContain("alert(1)", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertErrorPageAsync(HttpResponseMessage page, HttpStatusCode status, string english, string welsh)
    {
        string html = await page.Content.ReadAsStringAsync();
        Assert.True(status == page.StatusCode, $"Expected {(int)status}, got {(int)page.StatusCode}: {html}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(english, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(welsh, html, StringComparison.Ordinal);
        Assert.Contains("lang=\"cy\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    private HttpClient NewBrowser(bool useCookies = false) =>
        new(new HttpClientHandler { UseCookies = useCookies }) { BaseAddress = Relay.BaseAddress };

    private HttpClient Officer() => Relay.CreateClient(TestRelay.OfficerKey);
}
