using System.Net;
using Relay.Server.Auth;

namespace Relay.Server.Tests.Signalling;

/// <summary>One relay with one session whose WHIP offer was accepted (never connected), so WHEP has something to negotiate against.</summary>
public sealed class PublishedSessionFixture : IAsyncLifetime
{
    private TestRelay? _relay;

    internal TestRelay Relay => _relay!;

    internal string SessionId { get; private set; } = "";

    internal string CallerKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        (SessionId, CallerKey) = await SignallingClient.CreateSessionAsync(_relay);
        await using var publisher = new TestWebRtcPeer();
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(_relay, $"/whip/{SessionId}", CallerKey, publisher.CreatePublishOffer());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }
}

public sealed class SignallingRefusalTests(PublishedSessionFixture fixture) : IClassFixture<PublishedSessionFixture>
{
    private TestRelay Relay => fixture.Relay;

    private string Id => fixture.SessionId;

    [Fact]
    public async Task Whip_RefusesAnOfferWithoutCredentials()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", null, new TestWebRtcPeer().CreatePublishOffer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "caller key or API key");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Whip_RefusesAWrongCallerKey()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", fixture.CallerKey[..^2] + "AA", Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "not valid for this session");
    }

    [Fact]
    public async Task Whip_RefusesAnotherSessionsCallerKey()
    {
        (string otherId, _) = await SignallingClient.CreateSessionAsync(Relay);

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{otherId}", fixture.CallerKey, Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "not valid for this session");
    }

    [Fact]
    public async Task Whip_AnswersAnUnknownSessionWithACallerKeyAsAWrongKey_SoIdsCannotBeProbed()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, "/whip/0123456789abcdef0123456789abcdef", fixture.CallerKey, Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "not valid for this session");
    }

    [Fact]
    public async Task Whip_AnswersAnUnknownSessionWithAnApiKeyWith404()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, "/whip/0123456789abcdef0123456789abcdef", TestRelay.PublisherKey, Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "no session");
    }

    [Fact]
    public async Task Whip_RefusesAnOperatorKey()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", TestRelay.OperatorKey, Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "officer or publisher");
    }

    [Fact]
    public async Task Whip_RefusesALocationOnlySession()
    {
        (string locationId, string token) = await SignallingClient.CreateSessionAsync(Relay, "location");

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{locationId}", token, Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "location only");
    }

    [Fact]
    public async Task Whip_RefusesAnEndedSession()
    {
        (string endedId, string token) = await SignallingClient.CreateSessionAsync(Relay);
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        (await officer.DeleteAsync(new Uri($"/api/sessions/{endedId}", UriKind.Relative))).EnsureSuccessStatusCode();

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{endedId}", token, Offer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "ended");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Whip_RefusesAnotherContentType_With415(string contentType)
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", fixture.CallerKey, Offer(), contentType);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "application/sdp");
    }

    [Fact]
    public async Task Whip_RefusesABodyThatIsNotSdp_With400()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", fixture.CallerKey, "hello relay");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "not valid SDP");
    }

    [Fact]
    public async Task Whip_RefusesSdpWithoutRtcpMux_With422GivingTheNegotiatorsReason()
    {
        string offer = Offer().Replace("a=rtcp-mux\r\n", "", StringComparison.Ordinal);

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", fixture.CallerKey, offer);

        await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)422, "rtcp-mux");
    }

    [Fact]
    public async Task Whip_RefusesAnOfferThatMakesTheRelayTheDtlsClient_With422()
    {
        string offer = Offer().Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal);

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whip/{Id}", fixture.CallerKey, offer);

        await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)422);
    }

    [Fact]
    public async Task Whip_DeleteOfAnUnknownResource_Is404()
    {
        HttpResponseMessage response = await SignallingClient.DeleteAsync(Relay, new Uri($"/whip/{Id}/00000000000000000000000000000000", UriKind.Relative), fixture.CallerKey);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "no such WHIP resource");
    }

    [Fact]
    public async Task Whep_RefusesAViewerWithoutAKey()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{Id}", null, ViewOffer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Whep_RefusesTheCallerKey_WhichOnlyPublishes()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{Id}", fixture.CallerKey, ViewOffer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "not recognised");
    }

    [Fact]
    public async Task Whep_RefusesAPublisherKey()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{Id}", TestRelay.PublisherKey, ViewOffer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, ApiKeyRoles.Officer);
    }

    [Fact]
    public async Task Whep_UnknownSession_Is404()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, "/whep/0123456789abcdef0123456789abcdef", TestRelay.OfficerKey, ViewOffer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "no session");
    }

    [Fact]
    public async Task Whep_BeforeTheCallerPublishes_Is409WithRetryAfter()
    {
        (string waitingId, _) = await SignallingClient.CreateSessionAsync(Relay);

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{waitingId}", TestRelay.OfficerKey, ViewOffer());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "not started");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Whep_RefusesAnotherContentType_With415()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{Id}", TestRelay.OfficerKey, ViewOffer(), "application/json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "application/sdp");
    }

    [Fact]
    public async Task Whep_RefusesABodyThatIsNotSdp_With400()
    {
        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{Id}", TestRelay.OfficerKey, "v=0\r\nnonsense");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "not valid SDP");
    }

    [Fact]
    public async Task Whep_RefusesAViewerThatDoesNotAcceptThePublishedCodec_With422()
    {
        string offer = ViewOffer().Replace("VP8/90000", "H264/90000", StringComparison.Ordinal);

        HttpResponseMessage response = await SignallingClient.PostOfferAsync(Relay, $"/whep/{Id}", TestRelay.OfficerKey, offer);

        await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)422);
    }

    [Fact]
    public async Task Whep_DeleteOfAnUnknownResource_Is404()
    {
        HttpResponseMessage response = await SignallingClient.DeleteAsync(Relay, new Uri($"/whep/{Id}/00000000000000000000000000000000", UriKind.Relative), TestRelay.OfficerKey);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "no such WHEP resource");
    }

    [Theory]
    [InlineData("/whip/anything")]
    [InlineData("/whep/anything")]
    [InlineData("/whip/anything/resource")]
    public async Task Preflight_IsAnsweredWithoutCredentials_WithCorsHeaders(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://portal.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");

        HttpResponseMessage response = await Relay.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        string methods = response.Headers.GetValues("Access-Control-Allow-Methods").Single();
        Assert.Contains("POST", methods, StringComparison.Ordinal);
        Assert.Contains("DELETE", methods, StringComparison.Ordinal);
        string headers = response.Headers.GetValues("Access-Control-Allow-Headers").Single();
        Assert.Contains("Authorization", headers, StringComparison.Ordinal);
        Assert.Contains("Content-Type", headers, StringComparison.Ordinal);
        Assert.Contains("Location", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    private static string Offer() => new TestWebRtcPeer().CreatePublishOffer();

    private static string ViewOffer() => new TestWebRtcPeer().CreateViewOffer();
}
