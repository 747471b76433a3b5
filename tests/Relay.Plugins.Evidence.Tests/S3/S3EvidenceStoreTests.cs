using System.Net;
using System.Security.Cryptography;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.S3;
using Relay.Testing.Evidence;
using Relay.Testing.Time;

namespace Relay.Plugins.Evidence.Tests.S3;

/// <summary>The contract and the S3 specifics against a real S3-compatible server (s3rver), through a recording handler.</summary>
public sealed class S3EvidenceStoreTests : EvidenceStoreContractTests, IClassFixture<S3rverFixture>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly S3rverFixture _fixture;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingS3Handler _handler = new();
    private readonly HttpClient _http;
    private readonly IEvidenceStore _store;

    public S3EvidenceStoreTests(S3rverFixture fixture)
    {
        _fixture = fixture;
        _http = new HttpClient(_handler);
        _store = CreateStore();
    }

    protected override IEvidenceStore Store => _store;

    /// <summary>
    /// s3rver ignores If-None-Match and does not even store racing writes of one key atomically (a read
    /// can get one writer's bytes with another's ETag, which the SDK rejects), so the race is not run
    /// against it; AWS S3 enforces If-None-Match, and the headers test checks that we send it.
    /// </summary>
    protected override bool EnforcesWriteOnceUnderRace => false;

    private S3rverServer Server => _fixture.Server;

    private IEvidenceStore CreateStore(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bucket"] = S3rverServer.Bucket,
            ["ServiceUrl"] = Server.ServiceUrl,
            ["AccessKey"] = S3rverServer.AccessKey,
            ["SecretKey"] = S3rverServer.SecretKey,
            ["Prefix"] = _prefix,
        };
        foreach ((string key, string value) in extra)
        {
            settings[key] = value;
        }

        return new S3EvidenceStorePlugin().CreateStore(settings, _http, _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        _http.Dispose();
    }

    [Fact]
    public void The_plugin_describes_itself_with_the_secret_marked()
    {
        var plugin = new S3EvidenceStorePlugin();

        Assert.Equal("s3", plugin.Description.Name);
        Assert.True(plugin.Description.Settings.Single(s => s.Key == "Bucket").Required);
        Assert.True(plugin.Description.Settings.Single(s => s.Key == "SecretKey").Secret);
        Assert.DoesNotContain(plugin.Description.Settings, s => s.Key != "SecretKey" && s.Secret);
    }

    [Theory]
    [InlineData("Bucket", "")]
    [InlineData("ServiceUrl", "ftp://127.0.0.1/")]
    [InlineData("ObjectLockMode", "FOREVER")]
    [InlineData("ObjectLockMode", "COMPLIANCE")]
    [InlineData("PartSizeBytes", "1024")]
    [InlineData("Prefix", "../escape")]
    [InlineData("SecretKey", "")]
    [InlineData("ForcePathStyle", "maybe")]
    public void A_bad_setting_is_refused_naming_it(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bucket"] = "evidence",
            ["ServiceUrl"] = "http://127.0.0.1:9",
            ["AccessKey"] = "a",
            ["SecretKey"] = "b",
            [key] = value,
        };

        var failure = Assert.Throws<ArgumentException>(() => new S3EvidenceStorePlugin().CreateStore(settings, _http, _time));

        Assert.Contains(key == "SecretKey" ? "SecretKey" : key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_are_path_style_and_carry_md5_sha256_and_write_once_headers()
    {
        byte[] bytes = Bytes(4_000, 1);

        await Store.PutAsync(Key("rec-headers", "segment-000001.rseg"), new MemoryStream(bytes), null, CancellationToken.None);

        RecordedS3Request put = Assert.Single(_handler.Matching(HttpMethod.Put));
        Assert.Equal($"{Server.ServiceUrl}/evidence/{_prefix}/rec-headers/segment-000001.rseg", put.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(Convert.ToBase64String(MD5.HashData(bytes)), put.Headers["Content-MD5"]);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(bytes)), put.Headers["x-amz-checksum-sha256"]);
        Assert.Equal(Sha256Of(bytes), put.Headers["x-amz-meta-sha256"]);
        Assert.Equal("*", put.Headers["If-None-Match"]);
        Assert.False(put.Headers.ContainsKey("x-amz-object-lock-mode"));
    }

    [Fact]
    public async Task Object_lock_retention_and_legal_hold_headers_are_sent_when_the_settings_ask()
    {
        // s3rver implements no Object Lock: the handler answers PUT ?legal-hold itself, and the test
        // checks what we ask of the store, not that s3rver enforces it.
        _handler.Answer = request => request.RequestUri!.Query.Contains("legal-hold", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK)
            : null;
        using IEvidenceStore locked = CreateStore(("ObjectLockMode", "COMPLIANCE"), ("ObjectLockRetentionDays", "2557"), ("ObjectLockLegalHold", "true"));

        await locked.PutAsync(Key("rec-lock", "segment-000001.rseg"), new MemoryStream(Bytes(100, 2)), null, CancellationToken.None);
        await locked.SetLegalHoldAsync("rec-lock", true, CancellationToken.None);
        await locked.PutAsync(Key("rec-lock", "segment-000002.rseg"), new MemoryStream(Bytes(100, 3)), null, CancellationToken.None);
        await locked.SetLegalHoldAsync("rec-lock", false, CancellationToken.None);

        RecordedS3Request[] objectPuts = [.. _handler.Matching(HttpMethod.Put).Where(r => r.Uri.AbsolutePath.EndsWith(".rseg", StringComparison.Ordinal) && r.Uri.Query.Length == 0)];
        Assert.Equal(2, objectPuts.Length);
        Assert.All(objectPuts, put =>
        {
            Assert.Equal("COMPLIANCE", put.Headers["x-amz-object-lock-mode"]);
            Assert.Equal("2033-12-01T10:00:00Z", put.Headers["x-amz-object-lock-retain-until-date"]);
        });
        Assert.False(objectPuts[0].Headers.ContainsKey("x-amz-object-lock-legal-hold"));
        Assert.Equal("ON", objectPuts[1].Headers["x-amz-object-lock-legal-hold"]);

        RecordedS3Request[] holds = _handler.Matching(HttpMethod.Put, "legal-hold");
        // ON for the one object stored before the hold (the later one carried the header), OFF for both.
        Assert.Equal(3, holds.Length);
        Assert.Single(holds, h => h.Body!.Contains("<Status>ON</Status>", StringComparison.Ordinal) && h.Uri.AbsolutePath.EndsWith("segment-000001.rseg", StringComparison.Ordinal));
        Assert.Equal(2, holds.Count(h => h.Body!.Contains("<Status>OFF</Status>", StringComparison.Ordinal)));
        Assert.All(holds, h => Assert.True(h.Headers.ContainsKey("Content-MD5") || h.Headers.Keys.Any(k => k.StartsWith("x-amz-checksum-", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_large_object_goes_up_in_checksummed_parts_and_reads_back_whole()
    {
        using IEvidenceStore store = CreateStore(("MultipartThresholdBytes", (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("PartSizeBytes", (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        byte[] bytes = Bytes((12 * MiB) + 7, 4);
        EvidenceObjectKey key = Key("rec-multipart", "segment-000001.rseg");

        EvidenceObjectInfo info = await store.PutAsync(key, new MemoryStream(bytes), Sha256Of(bytes), CancellationToken.None);

        RecordedS3Request[] parts = _handler.Matching(HttpMethod.Put, "partNumber=");
        Assert.Equal(3, parts.Length);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(bytes.AsSpan(0, 5 * MiB))), parts.Single(p => p.Uri.Query.Contains("partNumber=1&", StringComparison.Ordinal) || p.Uri.Query.EndsWith("partNumber=1", StringComparison.Ordinal)).Headers["x-amz-checksum-sha256"]);
        Assert.All(parts, p => Assert.True(p.Headers.ContainsKey("Content-MD5")));
        Assert.Equal(bytes.Length, info.Size);
        EvidenceObjectInfo? stored = await store.GetInfoAsync(key, CancellationToken.None);
        Assert.Equal(Sha256Of(bytes), stored!.Sha256);
        Assert.Equal(bytes.Length, stored.Size);
        await using Stream back = await store.OpenReadAsync(key, CancellationToken.None);
        Assert.Equal(Sha256Of(bytes), (await EvidenceHash.ComputeAsync(back, CancellationToken.None)).Sha256);
    }

    [Fact]
    public async Task A_multipart_upload_cut_off_midway_resumes_after_a_restart_from_the_first_missing_part()
    {
        string resume = Path.Combine(Path.GetTempPath(), "relay-s3-resume-" + Guid.NewGuid().ToString("N"));
        (string, string)[] settings = [("MultipartThresholdBytes", (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("PartSizeBytes", (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("ResumeDirectory", resume)];
        byte[] bytes = Bytes((15 * MiB) + 3, 5);
        EvidenceObjectKey key = Key("rec-resume", "segment-000001.rseg");
        try
        {
            _handler.Fail = request => request.RequestUri!.Query.Contains("partNumber=3", StringComparison.Ordinal);
            using (IEvidenceStore first = CreateStore(settings))
            {
                var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() => first.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None));
                Assert.Equal(EvidenceStoreError.Unavailable, failure.Error);
            }

            Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
            _handler.Fail = null;
            int partsBefore = _handler.Matching(HttpMethod.Put, "partNumber=").Length;
            int initiatesBefore = _handler.Matching(HttpMethod.Post, "uploads").Length;

            using (IEvidenceStore restarted = CreateStore(settings))
            {
                await restarted.PutAsync(key, new MemoryStream(bytes), Sha256Of(bytes), CancellationToken.None);
            }

            RecordedS3Request[] resumedParts = _handler.Matching(HttpMethod.Put, "partNumber=")[partsBefore..];
            Assert.Equal(2, resumedParts.Length);
            Assert.All(resumedParts, p => Assert.Matches("partNumber=(3|4)", p.Uri.Query));
            Assert.Equal(initiatesBefore, _handler.Matching(HttpMethod.Post, "uploads").Length);
            Assert.Equal(Sha256Of(bytes), (await Store.GetInfoAsync(key, CancellationToken.None))!.Sha256);
            await using Stream back = await Store.OpenReadAsync(key, CancellationToken.None);
            Assert.Equal(Sha256Of(bytes), (await EvidenceHash.ComputeAsync(back, CancellationToken.None)).Sha256);
            Assert.Empty(Directory.EnumerateFiles(resume));
        }
        finally
        {
            if (Directory.Exists(resume))
            {
                Directory.Delete(resume, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_stored_whole()
    {
        byte[] bytes = Bytes(50_000, 6);
        EvidenceObjectKey key = Key("rec-noseek", "manifest.json");

        await Store.PutAsync(key, new ForwardOnlyStream(bytes), Sha256Of(bytes), CancellationToken.None);

        Assert.Equal(bytes, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Delete_leaves_a_tombstone_object_saying_who_why_and_when()
    {
        EvidenceObjectKey key = Key("rec-tomb", "segment-000001.rseg");
        await Store.PutAsync(key, new MemoryStream(Bytes(10, 7)), null, CancellationToken.None);

        await Store.DeleteAsync(key, new EvidenceDeletion("bob", "subject access: erasure approved"), CancellationToken.None);

        RecordedS3Request tombstone = Assert.Single(_handler.Matching(HttpMethod.Put), r => r.Uri.AbsolutePath.Contains("/.tombstones/", StringComparison.Ordinal));
        Assert.EndsWith($"/{_prefix}/rec-tomb/.tombstones/segment-000001.rseg.{_time.GetUtcNow().UtcTicks}", tombstone.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Empty(await Store.ListAsync("rec-tomb", CancellationToken.None));
    }

    [Fact]
    public async Task A_stopped_server_makes_the_store_unavailable_and_it_recovers_when_started()
    {
        EvidenceObjectKey key = Key("rec-outage", "segment-000001.rseg");
        byte[] bytes = Bytes(1_000, 8);
        await Server.StopAsync();
        try
        {
            var failure = await Assert.ThrowsAsync<EvidenceStoreException>(() => Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None));
            PluginHealth down = await Store.CheckHealthAsync(CancellationToken.None);

            Assert.Equal(EvidenceStoreError.Unavailable, failure.Error);
            Assert.True(failure.IsTransient);
            Assert.False(down.Healthy);
            Assert.Contains(Server.ServiceUrl, down.Detail, StringComparison.Ordinal);
        }
        finally
        {
            await Server.StartAsync();
        }

        await Store.PutAsync(key, new MemoryStream(bytes), null, CancellationToken.None);
        Assert.Equal(bytes, await ReadAllAsync(key));
        Assert.True((await Store.CheckHealthAsync(CancellationToken.None)).Healthy);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
