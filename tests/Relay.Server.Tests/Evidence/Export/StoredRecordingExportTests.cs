using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Evidence;
using Relay.Control.Users;
using Relay.Plugins.Abstractions;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Recording.Bundles;
using Relay.Recording.Manifests;
using Relay.Server.Recording;

namespace Relay.Server.Tests.Evidence.Export;

/// <summary>A recording the catalogue says is stored is read from the evidence store, even when the node no longer has it locally.</summary>
public sealed class StoredRecordingExportTests : IAsyncLifetime, IDisposable
{
    private const string Password = "correct horse battery";

    private readonly TestEvidenceCatalogue _catalogue = new();
    private readonly MemoryEvidenceStore _store = new();
    private TestRelay? _relay;

    public async Task InitializeAsync() => _relay = await TestRelay.StartWithAsync(
        services =>
        {
            services.AddSingleton<IEvidenceCatalogue>(_catalogue);
            services.AddSingleton<IEvidenceStore>(_store);
        },
        null,
        []);

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_stored_recording_is_exported_from_the_store_after_its_local_copy_is_gone()
    {
        RecordingService recordings = _relay!.Services.GetRequiredService<RecordingService>();
        RecordingManifest manifest = await ExportTestRecordings.RecordAsync(recordings.Directory, "f1", recordings.SigningKey);
        string local = Path.Combine(recordings.Directory, manifest.RecordingId.ToString("D"));
        foreach (string file in Directory.GetFiles(local))
        {
            _store.Put(manifest.RecordingId.ToString("D"), Path.GetFileName(file), await File.ReadAllBytesAsync(file));
        }

        Directory.Delete(local, recursive: true);
        _catalogue.Add(new EvidenceItem("f1", "INC-1", "+447700900123", "cad", DateTimeOffset.UtcNow, "standard", DateTimeOffset.UtcNow.AddDays(31), null,
            [new EvidenceRecording(manifest.RecordingId, "node-1", DateTimeOffset.UtcNow, null, "memory", DateTimeOffset.UtcNow)]));
        await _relay.Services.GetRequiredService<IUserDirectory>().CreateAsync("em1", "Evidence Manager", [UserRoles.EvidenceManager], Password, "test");
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = _relay.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/login", new { username = "em1", password = Password })).StatusCode);

        HttpResponseMessage response = await client.PostAsJsonAsync("/api/evidence/f1/export", new { reason = "court" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        BundleVerification verification = EvidenceBundleVerifier.Verify(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        Assert.Equal(1, verification.RecordingsChecked);
        Assert.True(verification.FilesChecked > manifest.Segments.Count + 2);
    }

    /// <summary>Objects in memory: the store's contract as far as reading goes.</summary>
    private sealed class MemoryEvidenceStore : IEvidenceStore
    {
        private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

        public void Put(string recordingId, string name, byte[] bytes) => _objects[recordingId + "/" + name] = bytes;

        public Task<Stream> OpenReadAsync(EvidenceObjectKey key, CancellationToken cancellationToken) =>
            _objects.TryGetValue(key.ToString(), out byte[]? bytes)
                ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
                : throw new EvidenceStoreException(EvidenceStoreError.NotFound, key + " is not stored.");

        public Task<EvidenceObjectInfo> PutAsync(EvidenceObjectKey key, Stream content, string? expectedSha256, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<EvidenceObjectInfo?> GetInfoAsync(EvidenceObjectKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<EvidenceObjectInfo>> ListAsync(string recordingId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(EvidenceObjectKey key, EvidenceDeletion deletion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetLegalHoldAsync(string recordingId, bool hold, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> IsUnderLegalHoldAsync(string recordingId, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(PluginHealth.Ok("memory"));

        public void Dispose()
        {
        }
    }
}
