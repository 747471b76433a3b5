using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Control.Evidence;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;
using Relay.Server.Recording;
using Relay.Server.Tests.Location;
using Relay.Server.Tests.Metrics;
using Relay.Server.Tests.Signalling;

namespace Relay.Server.Tests.Evidence;

/// <summary>
/// The evidence path through the real relay: a published stream's segments, its location trail and
/// its signed manifest go through the upload spool into the configured store (the file system
/// plugin, loaded by the plugin host), the catalogue hears of it, and a store that is down holds
/// nothing back: objects wait in the spool, health says so, and they upload once it is back, also
/// after a restart.
/// </summary>
public sealed class EvidenceUploadEndToEndTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static readonly string[] s_fastRetries =
    [
        "--Relay:Evidence:Upload:InitialRetryDelay=00:00:00.050",
        "--Relay:Evidence:Upload:MaxRetryDelay=00:00:00.200",
        "--Relay:Evidence:LocationSweepInterval=00:00:00.200",
    ];

    [Fact]
    public async Task A_published_stream_ends_with_its_segments_trail_and_manifest_in_the_store_and_the_spool_empty()
    {
        var catalogue = new RecordedCatalogue();
        await using TestRelay relay = await TestRelay.StartWithAsync(s => s.AddSingleton<IEvidenceCatalogue>(catalogue), null, s_fastRetries);
        (string id, string key) = await SignallingClient.CreateSessionAsync(relay);
        await using (TestWebRtcPeer publisher = await PublishAsync(relay, id, key))
        {
            await using TestSocket caller = await TestSocket.ConnectAsync(relay.BaseAddress, $"/ws/caller/{id}", key);
            await caller.WaitForAsync("snapshot");
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (int i = 0; i < 3; i++)
            {
                publisher.SendKeyframePacket();
                await caller.SendJsonAsync(new { type = "position", lat = 51.5 + (i / 1000.0), lon = -0.12, accuracy = 8, time = now + i });
                await Task.Delay(50);
            }

            await WaitForAsync(async () => MetricsEndpointTests.Value(await Metrics(relay), "relay_location_fixes_kept_total") >= 3, "the fixes to be kept");
            await EndAsync(relay, id);
        }

        Guid recordingId = await WaitStoredAsync(catalogue);
        IEvidenceStore store = relay.Services.GetRequiredService<IEvidenceStore>();
        IReadOnlyList<EvidenceObjectInfo> held = await store.ListAsync(recordingId.ToString("D"), CancellationToken.None);
        byte[] manifestBytes = await ReadAsync(store, recordingId, ManifestFiles.Signed);
        Assert.True(ManifestJson.TryReadSigned(manifestBytes, out RecordingManifest? manifest, out _, out _, out string? error), error);
        Assert.Equal(id, manifest!.SessionId);
        Assert.NotEmpty(manifest.Segments);
        var names = held.Select(static o => o.Key.Name).ToHashSet();
        Assert.Superset(manifest.Segments.Select(static s => s.FileName).Append(LocationTrailFile.Name).Append(ManifestFiles.Signed).ToHashSet(), names);

        byte[] trail = await ReadAsync(store, recordingId, LocationTrailFile.Name);
        IReadOnlyList<LocationPoint> points = LocationTrailFile.Parse(trail);
        Assert.Equal(3, points.Count);
        Assert.Equal(LocationTrailFile.Sha256(trail), manifest.LocationTrailSha256);
        foreach (ManifestSegment segment in manifest.Segments)
        {
            Assert.Equal(segment.Sha256, Convert.ToHexStringLower(SHA256.HashData(await ReadAsync(store, recordingId, segment.FileName))));
        }

        RecordingService recording = relay.Services.GetRequiredService<RecordingService>();
        ManifestVerification verified = ManifestVerifier.Verify(Path.Combine(recording.Directory, recordingId.ToString("D")), recording.SigningKey.PublicKey);
        Assert.True(verified.IsValid, string.Join("; ", verified.Problems));

        Assert.Contains(catalogue.Started, s => s.RecordingId == recordingId && s.SessionId == id);
        RecordingClosed closed = Assert.Single(catalogue.Closed, c => c.RecordingId == recordingId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), closed.ManifestSha256);
        Assert.Equal(manifest.ChainHash, closed.ChainHash);
        Assert.Contains(catalogue.Stored, s => s.RecordingId == recordingId && s.Store == "filesystem");

        EvidenceUploader uploader = relay.Services.GetRequiredService<EvidenceUploader>();
        Assert.Equal(0, uploader.Status.PendingObjects);
        Assert.Equal(HttpStatusCode.OK, (await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        string metrics = await Metrics(relay);
        Assert.Equal(0, MetricsEndpointTests.Value(metrics, "relay_evidence_spool_objects"));
        Assert.Equal(1, MetricsEndpointTests.Value(metrics, "relay_evidence_store_up"));
        Assert.True(MetricsEndpointTests.Value(metrics, "relay_evidence_uploaded_objects_total") >= names.Count, metrics);
    }

    [Fact]
    public async Task While_the_store_is_down_objects_wait_in_the_spool_health_says_so_and_they_upload_once_it_is_back()
    {
        var catalogue = new RecordedCatalogue();
        string data = Directory.CreateTempSubdirectory("relay-evidence-down-").FullName;
        string root = Path.Combine(data, "store");
        try
        {
            await using TestRelay relay = await TestRelay.StartWithAsync(
                s => s.AddSingleton<IEvidenceCatalogue>(catalogue), data, [.. s_fastRetries, "--Relay:Evidence:Store:filesystem:Root=" + root]);
            BreakStore(root);
            await RecordOneStreamAsync(relay);
            EvidenceUploader uploader = relay.Services.GetRequiredService<EvidenceUploader>();
            await WaitForAsync(() => Task.FromResult(uploader.Status.PendingObjects >= 2 && uploader.Status.ConsecutiveFailures > 0), "the objects to wait in the spool");

            HttpResponseMessage health = await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            string detail = await health.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("wait in the spool", detail, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await relay.Http.GetAsync(new Uri("/healthz/evidence", UriKind.Relative))).StatusCode);
            string metrics = await Metrics(relay);
            Assert.True(MetricsEndpointTests.Value(metrics, "relay_evidence_spool_objects") >= 2, metrics);
            Assert.True(MetricsEndpointTests.Value(metrics, "relay_evidence_upload_failures_total") >= 1, metrics);
            Assert.Empty(catalogue.Stored);

            RepairStore(root);
            Guid recordingId = await WaitStoredAsync(catalogue);
            await WaitForAsync(() => Task.FromResult(uploader.Status.PendingObjects == 0), "the spool to empty");
            Assert.Equal(0, uploader.Status.QuarantinedObjects);
            Assert.True(File.Exists(Path.Combine(root, recordingId.ToString("D"), ManifestFiles.Signed)));
            await WaitForAsync(async () => (await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "health to recover");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TryDelete(data);
        }
    }

    [Fact]
    public async Task A_restart_picks_up_the_spool_and_uploads_what_waited_while_the_store_was_down()
    {
        string data = Directory.CreateTempSubdirectory("relay-evidence-restart-").FullName;
        string root = Path.Combine(data, "store");
        string[] args = [.. s_fastRetries, "--Relay:Evidence:Store:filesystem:Root=" + root];
        try
        {
            await using (TestRelay first = await TestRelay.StartOnAsync(data, args))
            {
                BreakStore(root);
                await RecordOneStreamAsync(first);
                EvidenceUploader uploader = first.Services.GetRequiredService<EvidenceUploader>();
                await WaitForAsync(() => Task.FromResult(uploader.Status.PendingObjects >= 2 && uploader.Status.ConsecutiveFailures > 0), "the objects to wait in the spool");
            }

            RepairStore(root);
            var catalogue = new RecordedCatalogue();
            await using TestRelay second = await TestRelay.StartWithAsync(s => s.AddSingleton<IEvidenceCatalogue>(catalogue), data, args);
            Guid recordingId = await WaitStoredAsync(catalogue);
            EvidenceUploader again = second.Services.GetRequiredService<EvidenceUploader>();
            await WaitForAsync(() => Task.FromResult(again.Status.PendingObjects == 0), "the spool to empty");
            IEvidenceStore store = second.Services.GetRequiredService<IEvidenceStore>();
            Assert.True(ManifestJson.TryReadSigned(await ReadAsync(store, recordingId, ManifestFiles.Signed), out RecordingManifest? manifest, out _, out _, out _));
            var held = (await store.ListAsync(recordingId.ToString("D"), CancellationToken.None)).Select(static o => o.Key.Name).ToHashSet();
            Assert.NotEmpty(manifest!.Segments);
            Assert.Superset(manifest.Segments.Select(static s => s.FileName).Append(ManifestFiles.Signed).ToHashSet(), held);
        }

        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TryDelete(data);
        }
    }

    [Fact]
    public async Task A_location_only_sessions_trail_is_kept_as_a_recording_without_tracks()
    {
        var catalogue = new RecordedCatalogue();
        await using TestRelay relay = await TestRelay.StartWithAsync(s => s.AddSingleton<IEvidenceCatalogue>(catalogue), null, s_fastRetries);
        (string id, string key) = await SignallingClient.CreateSessionAsync(relay, "location");
        await using (TestSocket caller = await TestSocket.ConnectAsync(relay.BaseAddress, $"/ws/caller/{id}", key))
        {
            await caller.WaitForAsync("snapshot");
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await caller.SendJsonAsync(new { type = "position", lat = 53.48, lon = -2.24, accuracy = 12, time = now });
            await caller.SendJsonAsync(new { type = "position", lat = 53.481, lon = -2.241, accuracy = 10, time = now + 500 });
            await WaitForAsync(async () => MetricsEndpointTests.Value(await Metrics(relay), "relay_location_fixes_kept_total") >= 2, "the fixes to be kept");
        }

        await EndAsync(relay, id);
        Guid recordingId = await WaitStoredAsync(catalogue);
        Assert.Contains(catalogue.Started, s => s.RecordingId == recordingId && s.SessionId == id);
        IEvidenceStore store = relay.Services.GetRequiredService<IEvidenceStore>();
        byte[] manifestBytes = await ReadAsync(store, recordingId, ManifestFiles.Signed);
        Assert.True(ManifestJson.TryReadSigned(manifestBytes, out RecordingManifest? manifest, out _, out _, out _));
        Assert.Empty(manifest!.Tracks);
        Assert.Empty(manifest.Segments);
        byte[] trail = await ReadAsync(store, recordingId, LocationTrailFile.Name);
        Assert.Equal(2, LocationTrailFile.Parse(trail).Count);
        Assert.Equal(LocationTrailFile.Sha256(trail), manifest.LocationTrailSha256);
    }

    [Fact]
    public async Task An_evidence_store_that_cannot_be_made_stops_the_relay_at_start_naming_the_setting()
    {
        OptionsValidationException unknown = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRelay.StartAsync("--Relay:Evidence:Store:Plugin=tape"));
        Assert.Contains("Relay:Evidence:Store:Plugin", unknown.Message, StringComparison.Ordinal);

        OptionsValidationException missing = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRelay.StartAsync("--Relay:Evidence:Store:Plugin=s3"));
        Assert.Contains("Relay:Evidence:Store:s3:Bucket", missing.Message, StringComparison.Ordinal);
    }

    private static async Task RecordOneStreamAsync(TestRelay relay)
    {
        (string id, string key) = await SignallingClient.CreateSessionAsync(relay);
        await using (TestWebRtcPeer publisher = await PublishAsync(relay, id, key))
        {
            for (int i = 0; i < 5; i++)
            {
                publisher.SendKeyframePacket();
                await Task.Delay(10);
            }

            await WaitForAsync(async () => MetricsEndpointTests.Value(await Metrics(relay), "relay_recorded_packets_total") >= 5, "the packets to be recorded");
            await EndAsync(relay, id);
        }
    }

    private static async Task<TestWebRtcPeer> PublishAsync(TestRelay relay, string id, string key)
    {
        var publisher = new TestWebRtcPeer();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", key, publisher.CreatePublishOffer());
        string answer = await published.Content.ReadAsStringAsync();
        Assert.True(published.StatusCode == HttpStatusCode.Created, answer);
        publisher.Connect(answer);
        await publisher.WaitConnectedAsync();
        return publisher;
    }

    private static async Task EndAsync(TestRelay relay, string id)
    {
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        (await officer.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    private static async Task<Guid> WaitStoredAsync(RecordedCatalogue catalogue)
    {
        await WaitForAsync(() => Task.FromResult(!catalogue.Stored.IsEmpty), "the catalogue to hear the recording is stored");
        return catalogue.Stored.First().RecordingId;
    }

    private static async Task<byte[]> ReadAsync(IEvidenceStore store, Guid recordingId, string name)
    {
        await using Stream stream = await store.OpenReadAsync(EvidenceObjectKey.Create(recordingId.ToString("D"), name), CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static Task<string> Metrics(TestRelay relay) => relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < s_bound, $"Gave up waiting for {what}.");
            await Task.Delay(25);
        }
    }

    // The store's root replaced by a file: every write fails and its health check says the directory is gone.
    private static void BreakStore(string root)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        File.WriteAllText(root, "not a directory");
    }

    private static void RepairStore(string root)
    {
        File.Delete(root);
        Directory.CreateDirectory(root);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
