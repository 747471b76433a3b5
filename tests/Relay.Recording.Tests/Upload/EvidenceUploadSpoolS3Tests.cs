using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.S3;
using Relay.Recording.Upload;
using Relay.Testing.Evidence;
using Relay.Testing.Time;

namespace Relay.Recording.Tests.Upload;

/// <summary>The spool in front of the S3 store, with the S3 server (s3rver) killed and started again mid-queue.</summary>
public sealed class EvidenceUploadSpoolS3Tests : IAsyncLifetime, IDisposable
{
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "relay-spool-s3-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private S3rverServer _server = null!;
    private IEvidenceStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await S3rverServer.StartNewAsync();
        _store = new S3EvidenceStorePlugin().CreateStore(
            new Dictionary<string, string?>
            {
                ["Bucket"] = S3rverServer.Bucket,
                ["ServiceUrl"] = _server.ServiceUrl,
                ["AccessKey"] = S3rverServer.AccessKey,
                ["SecretKey"] = S3rverServer.SecretKey,
            },
            _http,
            _time);
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_spool, recursive: true);
    }

    public void Dispose() => _http.Dispose();

    private EvidenceUploadSpool OpenSpool() => new(
        _store,
        new EvidenceUploadOptions { SpoolDirectory = _spool, InitialRetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromMinutes(1) },
        _time,
        NullLogger<EvidenceUploadSpool>.Instance);

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Objects_spooled_while_the_server_is_down_reach_it_after_it_returns_and_a_restart()
    {
        byte[][] objects = [Bytes(40_000, 1), Bytes(40_000, 2), Bytes(900, 3)];
        EvidenceObjectKey[] keys =
        [
            EvidenceObjectKey.Create("rec-s3", "segment-000001.rseg"),
            EvidenceObjectKey.Create("rec-s3", "segment-000002.rseg"),
            EvidenceObjectKey.Create("rec-s3", "manifest.json"),
        ];

        await using (EvidenceUploadSpool spool = OpenSpool())
        {
            await spool.EnqueueAsync(keys[0], new MemoryStream(objects[0]), null, CancellationToken.None);
            Assert.Equal(1, await spool.UploadDueAsync(CancellationToken.None));

            await _server.StopAsync();
            await spool.EnqueueAsync(keys[1], new MemoryStream(objects[1]), null, CancellationToken.None);
            await spool.EnqueueAsync(keys[2], new MemoryStream(objects[2]), Convert.ToHexStringLower(SHA256.HashData(objects[2])), CancellationToken.None);
            Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));
            _time.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(0, await spool.UploadDueAsync(CancellationToken.None));

            Assert.Equal(2, spool.Status.PendingObjects);
            Assert.Equal(2, spool.Status.ConsecutiveFailures);
            Assert.Equal(_time.GetUtcNow().AddSeconds(4), spool.Status.NextAttemptAt);
        }

        // The relay restarts while the store is still down, then the store comes back.
        await using EvidenceUploadSpool restarted = OpenSpool();
        Assert.Equal(2, restarted.Status.PendingObjects);
        await _server.StartAsync();

        Assert.Equal(2, await restarted.UploadDueAsync(CancellationToken.None));

        Assert.Equal(0, restarted.Status.PendingObjects);
        IReadOnlyList<EvidenceObjectInfo> stored = await _store.ListAsync("rec-s3", CancellationToken.None);
        Assert.Equal(["manifest.json", "segment-000001.rseg", "segment-000002.rseg"], stored.Select(o => o.Key.Name));
        for (int i = 0; i < keys.Length; i++)
        {
            await using Stream back = await _store.OpenReadAsync(keys[i], CancellationToken.None);
            using var copy = new MemoryStream();
            await back.CopyToAsync(copy);
            Assert.Equal(objects[i], copy.ToArray());
        }

        Assert.Empty(Directory.EnumerateFiles(_spool));
    }
}
