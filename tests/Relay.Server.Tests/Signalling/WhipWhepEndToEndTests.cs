using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Relay.Server.Tests.Metrics;

namespace Relay.Server.Tests.Signalling;

/// <summary>
/// A caller publishes over WHIP and an officer watches over WHEP, both through the relay's HTTP API
/// and real ICE, DTLS and SRTP on loopback: what the publisher sends reaches the viewer.
/// </summary>
public sealed class WhipWhepEndToEndTests
{
    [Fact]
    public async Task PublishAndView_RtpFromThePublisherReachesTheViewer()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        (string id, string token) = await SignallingClient.CreateSessionAsync(relay);
        await using var publisher = new TestWebRtcPeer();
        await using var viewer = new TestWebRtcPeer();

        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", token, publisher.CreatePublishOffer());
        string publishAnswer = await published.Content.ReadAsStringAsync();
        Assert.True(published.StatusCode == HttpStatusCode.Created, publishAnswer);
        Assert.Equal("application/sdp", published.Content.Headers.ContentType?.MediaType);
        Assert.Matches($"^/whip/{id}/[0-9a-f]{{32}}$", published.Headers.Location!.OriginalString);
        Assert.Equal("*", published.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Location", published.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        publisher.Connect(publishAnswer);
        await publisher.WaitConnectedAsync();

        HttpResponseMessage watched = await SignallingClient.PostOfferAsync(relay, $"/whep/{id}", TestRelay.OfficerKey, viewer.CreateViewOffer());
        string viewAnswer = await watched.Content.ReadAsStringAsync();
        Assert.True(watched.StatusCode == HttpStatusCode.Created, viewAnswer);
        Assert.Matches($"^/whep/{id}/[0-9a-f]{{32}}$", watched.Headers.Location!.OriginalString);
        uint relaySsrc = uint.Parse(Regex.Match(viewAnswer, @"^a=ssrc:(\d+) ", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        viewer.Connect(viewAnswer);
        await viewer.WaitConnectedAsync();

        var sent = new List<byte[]>();
        var waited = Stopwatch.StartNew();
        while (viewer.ReceivedRtp.Count < 5 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            sent.Add(publisher.SendKeyframePacket());
            await Task.Delay(20);
        }

        Assert.True(viewer.ReceivedRtp.Count >= 5, $"The viewer received {viewer.ReceivedRtp.Count} RTP packets of {sent.Count} sent.");
        foreach (byte[] packet in viewer.ReceivedRtp)
        {
            Assert.Equal(TestWebRtcPeer.VideoPayloadType, packet[1] & 0x7F);
            Assert.Equal(relaySsrc, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)));
            Assert.Contains(sent, payload => packet.AsSpan(12).SequenceEqual(payload));
        }

        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        JsonElement session = await officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("live", session.GetProperty("state").GetString());
        Assert.Equal("live", session.GetProperty("media").GetProperty("stream").GetString());
        Assert.Equal(1, session.GetProperty("media").GetProperty("viewers").GetInt32());

        // Counters are written after the send they count: a scrape may be a moment behind what the viewer saw.
        string metrics;
        waited.Restart();
        do
        {
            metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while ((MetricsEndpointTests.Value(metrics, "relay_rtp_packets_total{direction=\"in\"}") < 5
                || MetricsEndpointTests.Value(metrics, "relay_rtp_packets_total{direction=\"out\"}") < 5)
            && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_streams"));
        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_viewers"));
        Assert.True(MetricsEndpointTests.Value(metrics, "relay_rtp_packets_total{direction=\"in\"}") >= 5, metrics);
        Assert.True(MetricsEndpointTests.Value(metrics, "relay_rtp_packets_total{direction=\"out\"}") >= 5, metrics);
        (int exitCode, string output) = await MetricsEndpointTests.PromtoolCheckAsync(metrics);
        Assert.True(exitCode == 0, output);

        Assert.Equal(HttpStatusCode.OK, (await SignallingClient.DeleteAsync(relay, watched.Headers.Location, TestRelay.OfficerKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignallingClient.DeleteAsync(relay, published.Headers.Location, token)).StatusCode);
        await ProblemAssert.IsProblemAsync(await SignallingClient.DeleteAsync(relay, published.Headers.Location, token), HttpStatusCode.NotFound, "no such WHIP resource");
        session = await officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal(0, session.GetProperty("media").GetProperty("viewers").GetInt32());
    }

    [Fact]
    public async Task ViewerPacketLossForTesting_ReachesTheStream_DroppingFirstTransmissionsToViewers()
    {
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:Media:ViewerPacketLossForTesting=1");
        (string id, string token) = await SignallingClient.CreateSessionAsync(relay);
        await using var publisher = new TestWebRtcPeer();
        await using var viewer = new TestWebRtcPeer();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", token, publisher.CreatePublishOffer());
        publisher.Connect(await published.Content.ReadAsStringAsync());
        await publisher.WaitConnectedAsync();
        HttpResponseMessage watched = await SignallingClient.PostOfferAsync(relay, $"/whep/{id}", TestRelay.OfficerKey, viewer.CreateViewOffer());
        viewer.Connect(await watched.Content.ReadAsStringAsync());
        await viewer.WaitConnectedAsync();

        const string Dropped = "relay_packets_dropped_total{layer=\"stream\",reason=\"injected_loss\"}";
        var waited = Stopwatch.StartNew();
        string metrics;
        do
        {
            publisher.SendKeyframePacket();
            await Task.Delay(20);
            metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while (MetricsEndpointTests.Value(metrics, Dropped) < 5 && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.True(MetricsEndpointTests.Value(metrics, Dropped) >= 5, metrics);
        Assert.Empty(viewer.ReceivedRtp);
    }

    [Fact]
    public async Task APublisherSilentPastTheConsentTimeout_FailsAsConsentLoss_AndTheStreamWaitsForAReconnect()
    {
        // The client role checks consent every 5 s, so with a 1 s timeout the node's sweep ends it first.
        await using TestRelay relay = await TestRelay.StartAsync("--Relay:Media:ConsentTimeout=00:00:01");
        (string id, string token) = await SignallingClient.CreateSessionAsync(relay);
        await using var publisher = new TestWebRtcPeer();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", token, publisher.CreatePublishOffer());
        publisher.Connect(await published.Content.ReadAsStringAsync());
        await publisher.WaitConnectedAsync();

        const string ConsentFailures = "relay_peer_failures_total{cause=\"consent\"}";
        var waited = Stopwatch.StartNew();
        string metrics;
        do
        {
            await Task.Delay(100);
            metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while (MetricsEndpointTests.Value(metrics, ConsentFailures) < 1 && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(1, MetricsEndpointTests.Value(metrics, ConsentFailures));
        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_ice_consent_losses_total"));
        Assert.Equal(0, MetricsEndpointTests.Value(metrics, "relay_peers"));
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        JsonElement session = await officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("reconnecting", session.GetProperty("media").GetProperty("stream").GetString());
        Assert.Equal("reconnecting", session.GetProperty("state").GetString());
    }

    [Fact]
    public async Task APublisherWhoseCertificateDoesNotMatchItsOffer_FailsDtls_AndIsCounted()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        (string id, string token) = await SignallingClient.CreateSessionAsync(relay);
        await using var impostor = new TestWebRtcPeer(lieAboutFingerprint: true);
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", token, impostor.CreatePublishOffer());
        impostor.Connect(await published.Content.ReadAsStringAsync());

        const string DtlsFailures = "relay_peer_failures_total{cause=\"dtls\"}";
        var waited = Stopwatch.StartNew();
        string metrics;
        do
        {
            await Task.Delay(50);
            metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while (MetricsEndpointTests.Value(metrics, DtlsFailures) < 1 && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(1, MetricsEndpointTests.Value(metrics, DtlsFailures));
        Assert.Equal(0, MetricsEndpointTests.Value(metrics, "relay_rtp_packets_total{direction=\"in\"}"));
    }
}
