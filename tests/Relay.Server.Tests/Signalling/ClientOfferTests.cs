using System.Net;
using System.Text.RegularExpressions;

namespace Relay.Server.Tests.Signalling;

/// <summary>The offers real clients send (the negotiation fixtures) go through the whole HTTP path to an answer.</summary>
public sealed class ClientOfferTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Theory]
    [InlineData("chrome-whip-offer.sdp")]
    [InlineData("firefox-whip-offer.sdp")]
    [InlineData("safari-ios-whip-offer.sdp")]
    [InlineData("gstreamer-webrtcbin-offer.sdp")]
    public async Task Whip_AnswersEachClientsOffer_ThenChromeCanWatch(string file)
    {
        (string id, string token) = await SignallingClient.CreateSessionAsync(fixture.Relay);

        HttpResponseMessage published = await SignallingClient.PostOfferAsync(fixture.Relay, $"/whip/{id}", token, Fixture(file));
        string answer = await published.Content.ReadAsStringAsync();

        Assert.True(published.StatusCode == HttpStatusCode.Created, answer);
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host", RegexOptions.Multiline | RegexOptions.IgnoreCase), answer);

        HttpResponseMessage watched = await SignallingClient.PostOfferAsync(fixture.Relay, $"/whep/{id}", TestRelay.OfficerKey, Fixture("chrome-whep-offer.sdp"));
        string viewAnswer = await watched.Content.ReadAsStringAsync();
        Assert.True(watched.StatusCode == HttpStatusCode.Created, viewAnswer);
        Assert.Contains("a=sendonly", viewAnswer, StringComparison.Ordinal);
    }

    private static string Fixture(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)).ReplaceLineEndings("\r\n");
}
