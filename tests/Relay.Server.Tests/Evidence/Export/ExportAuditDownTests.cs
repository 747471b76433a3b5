using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Audit;
using Relay.Control.Evidence;
using Relay.Control.Users;
using Relay.Recording.Manifests;
using Relay.Server.Recording;

namespace Relay.Server.Tests.Evidence.Export;

/// <summary>A bundle whose export cannot be recorded in the audit log is not handed out.</summary>
public sealed class ExportAuditDownTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private readonly TestEvidenceCatalogue _catalogue = new();
    private TestRelay? _relay;

    public async Task InitializeAsync() => _relay = await TestRelay.StartWithAsync(
        services =>
        {
            services.AddSingleton<IEvidenceCatalogue>(_catalogue);
            services.AddSingleton<IAuditLog, ExportRefusingAuditLog>();
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

    [Fact]
    public async Task When_the_export_cannot_be_audited_the_answer_is_500_and_no_bundle()
    {
        RecordingService recordings = _relay!.Services.GetRequiredService<RecordingService>();
        RecordingManifest manifest = await ExportTestRecordings.RecordAsync(recordings.Directory, "e1", recordings.SigningKey);
        _catalogue.Add(new EvidenceItem("e1", "INC-1", "+447700900123", "cad", DateTimeOffset.UtcNow, "standard", DateTimeOffset.UtcNow.AddDays(31), null,
            [new EvidenceRecording(manifest.RecordingId, "node-1", DateTimeOffset.UtcNow, null, null, null)]));
        await _relay.Services.GetRequiredService<IUserDirectory>().CreateAsync("em1", "Evidence Manager", [UserRoles.EvidenceManager], Password, "test");
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = _relay.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/login", new { username = "em1", password = Password })).StatusCode);

        HttpResponseMessage response = await client.PostAsJsonAsync("/api/evidence/e1/export", new { reason = "court" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError, "could not record this access");
    }

    /// <summary>Keeps entries in memory and refuses exports, as a full disk would.</summary>
    private sealed class ExportRefusingAuditLog : IAuditLog
    {
        private readonly ConcurrentQueue<AuditRecord> _rows = new();

        public Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            if (entry.Action == AuditActions.Export)
            {
                throw new IOException("disk full");
            }

            var row = new AuditRecord(_rows.Count + 1, DateTimeOffset.UtcNow, entry.Actor, entry.Action, entry.Subject, entry.Reason, entry.Recipient,
                entry.Details ?? new Dictionary<string, string>(), new string('0', 64), new string('0', 64));
            _rows.Enqueue(row);
            return Task.FromResult(row);
        }

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AuditRecord>>([]);

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
