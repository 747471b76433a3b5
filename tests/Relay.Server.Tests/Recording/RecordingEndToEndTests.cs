using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Relay.Recording;
using Relay.Recording.Manifests;
using Relay.Recording.Segments;
using Relay.Server.Recording;
using Relay.Server.Tests.Metrics;
using Relay.Server.Tests.Signalling;

namespace Relay.Server.Tests.Recording;

/// <summary>
/// A publisher's stream through the real relay (WHIP, ICE, DTLS, SRTP on loopback) is recorded:
/// when the session ends, its recording holds what was sent, decrypted, under a signed manifest.
/// </summary>
public sealed class RecordingEndToEndTests
{
    [Fact]
    public async Task A_published_stream_is_recorded_and_its_manifest_signed_when_the_session_ends()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        (string id, string token) = await SignallingClient.CreateSessionAsync(relay);
        await using var publisher = new TestWebRtcPeer();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", token, publisher.CreatePublishOffer());
        string answer = await published.Content.ReadAsStringAsync();
        Assert.True(published.StatusCode == HttpStatusCode.Created, answer);
        publisher.Connect(answer);
        await publisher.WaitConnectedAsync();

        var sent = new List<byte[]>();
        for (int i = 0; i < 20; i++)
        {
            sent.Add(publisher.SendKeyframePacket());
            await Task.Delay(10);
        }

        // The writer task takes what was appended every 20 ms; the counter follows it.
        string metrics;
        var waited = Stopwatch.StartNew();
        do
        {
            metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while (MetricsEndpointTests.Value(metrics, "relay_recorded_packets_total") < sent.Count && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.True(MetricsEndpointTests.Value(metrics, "relay_recorded_packets_total") >= sent.Count, metrics);
        Assert.Equal(0, MetricsEndpointTests.Value(metrics, "relay_recording_dropped_packets_total"));
        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_recordings_open"));

        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        (await officer.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).EnsureSuccessStatusCode();

        RecordingService recording = relay.Services.GetRequiredService<RecordingService>();
        string directory = Assert.Single(Directory.GetDirectories(recording.Directory));
        string manifestPath = Path.Combine(directory, ManifestFiles.Signed);
        waited.Restart();
        while (!File.Exists(manifestPath) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        ManifestVerification verification = ManifestVerifier.Verify(directory, recording.SigningKey.PublicKey);
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
        RecordingManifest manifest = verification.Manifest!;
        Assert.Equal(id, manifest.SessionId);
        Assert.False(manifest.Recovered);
        Assert.NotEmpty(manifest.Tracks);
        var rtp = manifest.Segments
            .SelectMany(s => SegmentReader.Open(Path.Combine(directory, s.FileName)).ReadPackets())
            .Where(static p => p.Kind == RecordedPacketKind.Rtp)
            .ToList();
        foreach (byte[] payload in sent)
        {
            Assert.Contains(rtp, p => p.Data.Span.EndsWith(payload));
        }

        metrics = await relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.True(MetricsEndpointTests.Value(metrics, "relay_recording_segments_closed_total") >= 1, metrics);
    }
}
