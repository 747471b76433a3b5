using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Relay.Server.Tests.Metrics;

namespace Relay.Server.Tests.Signalling;

/// <summary>A viewer's NACK through the whole relay: answered from the packet cache as RTX, and counted in /metrics.</summary>
public sealed class NackEndToEndTests
{
    [Fact]
    public async Task AViewersNack_IsAnsweredWithRtx_AndCounted()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        (string id, string token) = await SignallingClient.CreateSessionAsync(relay);
        await using var publisher = new TestWebRtcPeer();
        await using var viewer = new TestWebRtcPeer();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", token, publisher.CreatePublishOffer());
        publisher.Connect(await published.Content.ReadAsStringAsync());
        await publisher.WaitConnectedAsync();
        HttpResponseMessage watched = await SignallingClient.PostOfferAsync(relay, $"/whep/{id}", TestRelay.OfficerKey, viewer.CreateViewOffer());
        string answer = await watched.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, watched.StatusCode);
        uint relaySsrc = uint.Parse(Regex.Match(answer, @"^a=ssrc-group:FID (\d+) (\d+)", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        viewer.Connect(answer);
        await viewer.WaitConnectedAsync();

        var waited = Stopwatch.StartNew();
        while (viewer.ReceivedRtp.Count < 3 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            publisher.SendKeyframePacket();
            await Task.Delay(20);
        }

        byte[] first = viewer.ReceivedRtp.First();
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(2));
        viewer.SendNack(relaySsrc, sequence);

        byte[]? retransmission = null;
        waited.Restart();
        while (retransmission is null && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
            retransmission = viewer.ReceivedRtp.FirstOrDefault(p => (p[1] & 0x7F) == TestWebRtcPeer.RtxPayloadType);
        }

        Assert.NotNull(retransmission);
        Assert.Equal(sequence, BinaryPrimitives.ReadUInt16BigEndian(retransmission.AsSpan(12)));
        Assert.True(retransmission.AsSpan(14).SequenceEqual(first.AsSpan(12)), "The RTX payload is the original sequence number, then the original payload.");
        // The stream's counters are plain fields read without its lock: a scrape may be a moment behind the packet.
        string metrics;
        waited.Restart();
        do
        {
            metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while ((MetricsEndpointTests.Value(metrics, "relay_nacks_received_total") < 1 || MetricsEndpointTests.Value(metrics, "relay_retransmissions_total") < 1)
            && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_nacks_received_total"));
        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_retransmissions_total"));
    }
}
