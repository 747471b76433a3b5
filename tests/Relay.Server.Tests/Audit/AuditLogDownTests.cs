using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Audit;

namespace Relay.Server.Tests.Audit;

/// <summary>
/// When the audit log cannot be written: evidence is not shown (500), while actions already taken
/// (a session created, a snapshot stored) still answer as they did. The failing log stands in for a
/// database that refuses writes, which a real SQLite file cannot be made to do reliably in a test.
/// </summary>
public sealed class AuditLogDownTests : IAsyncLifetime
{
    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    public async Task InitializeAsync() =>
        _relay = await TestRelay.StartWithAsync(static services => services.AddSingleton<IAuditLog, RefusingAuditLog>(), null, []);

    public async Task DisposeAsync() => await Relay.DisposeAsync();

    [Fact]
    public async Task ThePlayerIsRefusedButTheSessionAndSnapshotStillWork()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage created = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-9", phone = "+447700900123", mode = "video", retention = "mopi-group-3" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        HttpResponseMessage player = await officer.GetAsync(new Uri($"/player/{id}", UriKind.Relative));
        using var jpeg = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0xFF, 0xD9]);
        jpeg.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        HttpResponseMessage snapshot = await officer.PostAsync(new Uri($"/api/sessions/{id}/snapshots", UriKind.Relative), jpeg);

        Assert.Equal(HttpStatusCode.InternalServerError, player.StatusCode);
        Assert.Contains("audit", await player.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Created, snapshot.StatusCode);
    }

    private sealed class RefusingAuditLog : IAuditLog
    {
        public Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AuditRecord>>([]);

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");
    }
}
