using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Audit;
using Relay.Control.Chat;
using Relay.Control.Evidence;
using Relay.Control.Location;
using Relay.Control.Sessions;
using Relay.Control.Users;
using Relay.Plugins.Abstractions.Evidence;
using Relay.Plugins.Evidence.FileSystem;
using Relay.Server.Evidence.Catalogue;
using Relay.Server.Player;
using Relay.Server.Recording;

namespace Relay.Server.Tests.Evidence.Catalogue;

/// <summary>
/// The catalogue's HTTP API and disposal on the real relay, with the real file-system evidence store
/// plugin registered as the relay's IEvidenceStore and recordings' local directories on disk.
/// </summary>
public sealed class EvidenceCatalogueEndpointsTests : IAsyncLifetime, IDisposable
{
    private const string Password = "correct horse battery";
    private const string Phone = "+447700900123";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("relay-catalogue-test-").FullName;
    private TestRelay? _relay;
    private IEvidenceStore? _store;
    private HttpClient? _manager;
    private HttpClientHandler? _managerHandler;

    private TestRelay Relay => _relay!;

    private IEvidenceStore Store => _store!;

    /// <summary>A person signed in with the evidence-manager role (no API key has it).</summary>
    private HttpClient Manager => _manager!;

    public async Task InitializeAsync()
    {
        string root = Path.Combine(_dataDirectory, "evidence-store");
        using var http = new HttpClient();
        _store = new FileSystemEvidenceStorePlugin().CreateStore(
            new Dictionary<string, string?> { [FileSystemEvidenceStorePlugin.RootSetting] = root }, http, TimeProvider.System);
        IEvidenceStore store = _store;
        _relay = await TestRelay.StartWithAsync(services => services.AddSingleton(store), _dataDirectory, []);
        await Relay.Services.GetRequiredService<IUserDirectory>().CreateAsync("em1", "Evidence Manager One", [UserRoles.EvidenceManager], Password, "admin");
        _managerHandler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        _manager = new HttpClient(_managerHandler) { BaseAddress = Relay.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await _manager.PostAsJsonAsync("/api/login", new { username = "em1", password = Password })).StatusCode);
    }

    public void Dispose()
    {
        _manager?.Dispose();
        _managerHandler?.Dispose();
    }

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        _store?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        MakeWritable(_dataDirectory);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task EvidenceIsForEvidenceManagersOnly()
    {
        (string id, _) = await RecordAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        using HttpClient engineer = Relay.CreateClient(TestRelay.OperatorKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Relay.Http.GetAsync(new Uri("/api/evidence", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync(new Uri($"/api/evidence/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.PutAsJsonAsync($"/api/evidence/{id}/hold", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync($"/api/evidence/{id}/reviews", new { decision = "dispose", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Manager.GetAsync(new Uri($"/api/evidence/{id}", UriKind.Relative))).StatusCode);
        Assert.NotNull(await Relay.Services.GetRequiredService<IEvidenceCatalogue>().FindAsync(id));
    }

    [Fact]
    public async Task ReadingAnItemShowsItsRecordingsAndIsAuditedAsAView()
    {
        (string id, Guid recording) = await RecordAsync();

        JsonElement item = await Manager.GetFromJsonAsync<JsonElement>($"/api/evidence/{id}");

        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.Equal("INC-CAT", item.GetProperty("incident").GetString());
        Assert.Equal("mopi-group-3", item.GetProperty("category").GetString());
        Assert.Equal(recording, item.GetProperty("recordings")[0].GetProperty("recordingId").GetGuid());
        Assert.Equal(0, item.GetProperty("reviews").GetArrayLength());
        AuditRecord view = Assert.Single(await AuditAsync(id), e => e.Action == AuditActions.View);
        Assert.Equal(("em1", "evidence-record"), (view.Actor, view.Details["what"]));
        await ProblemAssert.IsProblemAsync(await Manager.GetAsync(new Uri("/api/evidence/no-such-item", UriKind.Relative)), HttpStatusCode.NotFound, "no evidence item");
    }

    [Fact]
    public async Task SearchFindsByIncidentAndPhoneAndRefusesABadNumber()
    {
        (string id, _) = await RecordAsync();

        JsonElement byIncident = await Manager.GetFromJsonAsync<JsonElement>("/api/evidence?incident=INC-CAT");
        JsonElement byPhone = await Manager.GetFromJsonAsync<JsonElement>("/api/evidence?phone=%2B447700900123&limit=500");

        Assert.Contains(byIncident.EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.Contains(byPhone.EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        await ProblemAssert.IsProblemAsync(await Manager.GetAsync(new Uri("/api/evidence?phone=07700900123", UriKind.Relative)), HttpStatusCode.BadRequest, "E.164");
        await ProblemAssert.IsProblemAsync(await Manager.GetAsync(new Uri("/api/evidence?from=yesterday", UriKind.Relative)), HttpStatusCode.BadRequest, "ISO 8601");
        await ProblemAssert.IsProblemAsync(await Manager.GetAsync(new Uri("/api/evidence?limit=100000", UriKind.Relative)), HttpStatusCode.BadRequest, "limit");
        await ProblemAssert.IsProblemAsync(await Manager.GetAsync(new Uri("/api/evidence?incident=" + new string('x', 5000), UriKind.Relative)), HttpStatusCode.BadRequest, "at most 64");
        AuditRecord search = (await Relay.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Action = AuditActions.View, Actor = "em1" }))
            .First(e => e.Details.TryGetValue("phone", out string? masked) && masked == "+44*******123");
        Assert.Equal("evidence-search", search.Details["what"]);
    }

    [Theory]
    [InlineData("{\"decision\": \"shred\", \"reason\": \"x\"}", "'shred' is not a decision")]
    [InlineData("{\"reason\": \"x\"}", "Give the decision")]
    [InlineData("{\"decision\": \"retain\", \"reason\": \"\"}", "Give a reason")]
    [InlineData("{\"decision\": \"recategorise\", \"reason\": \"x\", \"category\": \"forever\"}", "'forever' is not a retention category")]
    [InlineData("{\"decision\": \"retain\", \"reason\": \"x\", \"nextReviewAt\": \"2001-01-01T00:00:00Z\"}", "must be after now")]
    [InlineData("{\"decision\": \"retain\", \"reason\": \"x\", \"nextReviewAt\": \"soon\"}", "not valid JSON")]
    [InlineData("{\"decision\": ", "not valid JSON")]
    [InlineData("null", "JSON null")]
    public async Task ABadReviewIsAProblemSayingWhatIsWrong(string json, string message)
    {
        (string id, _) = await RecordAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        HttpResponseMessage response = await Manager.PostAsync(new Uri($"/api/evidence/{id}/reviews", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, message);
        Assert.DoesNotContain(await AuditAsync(id), e => e.Action == AuditActions.Review);
    }

    [Fact]
    public async Task HugeAndWrongBodiesAreRefused()
    {
        (string id, _) = await RecordAsync();
        using var huge = new StringContent("{\"reason\": \"" + new string('r', 100_000) + "\"}", Encoding.UTF8, "application/json");
        using var form = new StringContent("reason=x", Encoding.UTF8, "application/x-www-form-urlencoded");

        await ProblemAssert.IsProblemAsync(await Manager.PutAsync(new Uri($"/api/evidence/{id}/hold", UriKind.Relative), huge), HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.IsProblemAsync(await Manager.PutAsync(new Uri($"/api/evidence/{id}/hold", UriKind.Relative), form), HttpStatusCode.UnsupportedMediaType);
        await ProblemAssert.IsProblemAsync(await Manager.PutAsJsonAsync("/api/evidence/unknown/hold", new { reason = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AReviewMovesTheItemAndIsAuditedWithWhoAndWhy()
    {
        (string id, _) = await RecordAsync();

        HttpResponseMessage response = await Manager.PostAsJsonAsync($"/api/evidence/{id}/reviews", new { decision = "recategorise", reason = "Charged with GBH", category = "mopi-group-2" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mopi-group-2", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("category").GetString());
        AuditRecord review = Assert.Single(await AuditAsync(id), e => e.Action == AuditActions.Review);
        Assert.Equal(("em1", "Charged with GBH", "recategorise"), (review.Actor, review.Reason, review.Details["decision"]));
        JsonElement item = await Manager.GetFromJsonAsync<JsonElement>($"/api/evidence/{id}");
        Assert.Equal("Charged with GBH", item.GetProperty("reviews")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AHoldIsPlacedInTheStoreTooAndLifted()
    {
        (string id, Guid recording) = await RecordAsync();

        HttpResponseMessage placed = await Manager.PutAsJsonAsync($"/api/evidence/{id}/hold", new { reason = "Trial listed" });

        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        Assert.Equal("em1", (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("legalHold").GetProperty("placedBy").GetString());
        Assert.True(await Store.IsUnderLegalHoldAsync(recording.ToString("D"), default));
        await ProblemAssert.IsProblemAsync(await Manager.PutAsJsonAsync($"/api/evidence/{id}/hold", new { reason = "again" }), HttpStatusCode.Conflict, "already under legal hold");

        using var lift = new HttpRequestMessage(HttpMethod.Delete, $"/api/evidence/{id}/hold") { Content = JsonContent.Create(new { reason = "Trial over" }) };
        Assert.Equal(HttpStatusCode.OK, (await Manager.SendAsync(lift)).StatusCode);

        Assert.False(await Store.IsUnderLegalHoldAsync(recording.ToString("D"), default));
        Assert.Equal(["Trial listed", "Trial over"], (await AuditAsync(id)).Where(e => e.Action == AuditActions.Alteration).Select(e => e.Reason));
    }

    [Fact]
    public async Task DisposalSkipsAHeldItemThenDeletesItsObjectsFilesRowsLocationAndChatOnceTheHoldIsLifted()
    {
        (string id, Guid recording) = await RecordAsync();
        string local = Path.Combine(Relay.Services.GetRequiredService<RecordingService>().Directory, recording.ToString("D"));
        using (HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey))
        using (var jpeg = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0xFF, 0xD9]))
        {
            jpeg.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
            Assert.Equal(HttpStatusCode.Created, (await officer.PostAsync(new Uri($"/api/sessions/{id}/snapshots", UriKind.Relative), jpeg)).StatusCode);
        }

        string snapshots = Path.Combine(Relay.Services.GetRequiredService<SnapshotStore>().Root, id);
        Assert.True(Directory.Exists(snapshots));
        ChatHistory chat = Relay.Services.GetRequiredService<ChatHistory>();
        chat.Add(id, new ChatMessage(ChatSender.Caller, null, "He went towards the station", DateTimeOffset.UtcNow));
        ILocationFixLog fixes = Relay.Services.GetRequiredService<ILocationFixLog>();
        fixes.Append(id, new LocationFix(51.5, -0.12, 8, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, default, null));
        fixes.Flush();
        EvidenceDisposalService disposal = Relay.Services.GetRequiredService<EvidenceDisposalService>();
        Assert.Equal(HttpStatusCode.OK, (await Manager.PostAsJsonAsync($"/api/evidence/{id}/reviews", new { decision = "dispose", reason = "No further action" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Manager.PutAsJsonAsync($"/api/evidence/{id}/hold", new { reason = "Complaint under investigation" })).StatusCode);

        EvidenceDisposalRun held = await disposal.RunOnceAsync(default);

        Assert.Equal(0, held.Disposed);
        Assert.Equal(2, (await Store.ListAsync(recording.ToString("D"), default)).Count);
        Assert.True(Directory.Exists(local));
        Assert.NotNull(await Relay.Services.GetRequiredService<IEvidenceCatalogue>().FindAsync(id));

        using var lift = new HttpRequestMessage(HttpMethod.Delete, $"/api/evidence/{id}/hold") { Content = JsonContent.Create(new { reason = "Complaint closed" }) };
        Assert.Equal(HttpStatusCode.OK, (await Manager.SendAsync(lift)).StatusCode);
        EvidenceDisposalRun run = await disposal.RunOnceAsync(default);

        Assert.Equal((1, 0), (run.Disposed, run.Failed));
        Assert.Empty(await Store.ListAsync(recording.ToString("D"), default));
        Assert.False(Directory.Exists(local));
        Assert.False(Directory.Exists(snapshots));
        Assert.Null(await Relay.Services.GetRequiredService<IEvidenceCatalogue>().FindAsync(id));
        Assert.Equal(SqliteEvidenceCatalogue.RedactedPhone, (await Relay.Services.GetRequiredService<ISessionStore>().FindAsync(id))!.Phone);
        AuditRecord erasure = Assert.Single(await AuditAsync(id), e => e.Action == AuditActions.Erasure);
        Assert.Equal(EvidenceDisposalService.Actor, erasure.Actor);
        Assert.Contains("No further action", erasure.Reason, StringComparison.Ordinal);
        Assert.Equal("2", erasure.Details["storeObjects"]);
        Assert.Equal("1", erasure.Details["localDirectories"]);
        Assert.Equal("1", erasure.Details["snapshots"]);
        Assert.Equal("1", erasure.Details["chatMessages"]);
        Assert.Equal("1", erasure.Details["locationFixes"]);
        Assert.Empty(chat.Get(id));
        Assert.Empty(await fixes.ReadAsync(id, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)));
        Assert.True((await Relay.Services.GetRequiredService<IAuditLog>().VerifyAsync()).IsIntact);
        string tombstones = await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "evidence-store", recording.ToString("D"), ".tombstones.jsonl"));
        Assert.Contains(EvidenceDisposalService.Actor, tombstones, StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await Manager.GetAsync(new Uri($"/api/evidence/{id}", UriKind.Relative)), HttpStatusCode.NotFound, "disposed of");
    }

    [Fact]
    public async Task AStoreThatRefusesTheDeletionLeavesTheItemForTheNextRunAndCountsTheFailure()
    {
        (string id, Guid recording) = await RecordAsync();
        EvidenceDisposalService disposal = Relay.Services.GetRequiredService<EvidenceDisposalService>();
        Assert.Equal(HttpStatusCode.OK, (await Manager.PostAsJsonAsync($"/api/evidence/{id}/reviews", new { decision = "dispose", reason = "Not needed" })).StatusCode);
        // Held in the store but not in the catalogue: as after a lift the store did not take.
        await Store.SetLegalHoldAsync(recording.ToString("D"), true, default);
        long failuresBefore = disposal.Failures;

        EvidenceDisposalRun refused = await disposal.RunOnceAsync(default);

        Assert.Equal((0, 1), (refused.Disposed, refused.Failed));
        Assert.Equal(failuresBefore + 1, disposal.Failures);
        Assert.NotNull(await Relay.Services.GetRequiredService<IEvidenceCatalogue>().FindAsync(id));
        Assert.DoesNotContain(await AuditAsync(id), e => e.Action == AuditActions.Erasure);
        Assert.NotEmpty(await Store.ListAsync(recording.ToString("D"), default));

        await Store.SetLegalHoldAsync(recording.ToString("D"), false, default);
        EvidenceDisposalRun retried = await disposal.RunOnceAsync(default);

        Assert.Equal(1, retried.Disposed);
        Assert.Null(await Relay.Services.GetRequiredService<IEvidenceCatalogue>().FindAsync(id));
    }

    [Fact]
    public async Task CategoriesAreReadByOfficersAndChangedByEngineersWithAnAuditedReason()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        using HttpClient engineer = Relay.CreateClient(TestRelay.OperatorKey);

        JsonElement categories = await officer.GetFromJsonAsync<JsonElement>("/api/retention/categories");

        Assert.Equal(["mopi-group-1", "mopi-group-2", "mopi-group-3", "not-needed"], categories.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("P31D", categories[3].GetProperty("reviewPeriod").GetString());
        Assert.True(categories[3].GetProperty("default").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PutAsJsonAsync("/api/retention/categories/x", new { name = "X", reviewPeriod = "P1Y", disposal = "review", reason = "r" })).StatusCode);
        await ProblemAssert.IsProblemAsync(await engineer.PutAsJsonAsync("/api/retention/categories/x", new { name = "X", reviewPeriod = "ten years", disposal = "review", reason = "r" }), HttpStatusCode.BadRequest, "P{n}Y");
        await ProblemAssert.IsProblemAsync(await engineer.PutAsJsonAsync("/api/retention/categories/x", new { name = "X", reviewPeriod = "P1Y", disposal = "shred", reason = "r" }), HttpStatusCode.BadRequest, "disposal rule");
        await ProblemAssert.IsProblemAsync(await engineer.PutAsJsonAsync("/api/retention/categories/x", new { name = "X", reviewPeriod = "P1Y", disposal = "review" }), HttpStatusCode.BadRequest, "Give a reason");
        await ProblemAssert.IsProblemAsync(await engineer.PutAsJsonAsync("/api/retention/categories/not-needed", new { name = "N", reviewPeriod = "P31D", disposal = "dispose", @default = false, reason = "r" }), HttpStatusCode.Conflict, "Make another category the default");

        HttpResponseMessage changed = await Manager.PutAsJsonAsync("/api/retention/categories/mopi-group-3", new { name = "MoPI group 3", reviewPeriod = "P7Y", disposal = "dispose", reason = "Force policy 2027" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        AuditRecord alteration = Assert.Single(await AuditAsync("retention-category:mopi-group-3"));
        Assert.Equal(("em1", "Force policy 2027", "P7Y"), (alteration.Actor, alteration.Reason, alteration.Details["reviewPeriod"]));
    }

    /// <summary>A session made through the API and one closed recording of it: two objects in the store and a local directory.</summary>
    private async Task<(string Id, Guid RecordingId)> RecordAsync()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage created = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-CAT", phone = Phone, mode = "video", retention = "mopi-group-3" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var recording = Guid.NewGuid();
        IEvidenceCatalogue catalogue = Relay.Services.GetRequiredService<IEvidenceCatalogue>();
        await catalogue.RecordingStartedAsync(new RecordingStarted(recording, id, "node-a", DateTimeOffset.UtcNow));

        string local = Directory.CreateDirectory(Path.Combine(Relay.Services.GetRequiredService<RecordingService>().Directory, recording.ToString("D"))).FullName;
        byte[] segment = Encoding.ASCII.GetBytes("segment bytes");
        byte[] manifest = Encoding.ASCII.GetBytes("{\"manifest\": true}");
        await File.WriteAllBytesAsync(Path.Combine(local, "segment-000001.rseg"), segment);
        await File.WriteAllBytesAsync(Path.Combine(local, "manifest.json"), manifest);
        using (var stream = new MemoryStream(segment))
        {
            await Store.PutAsync(EvidenceObjectKey.Create(recording.ToString("D"), "segment-000001.rseg"), stream, null, default);
        }

        using (var stream = new MemoryStream(manifest))
        {
            await Store.PutAsync(EvidenceObjectKey.Create(recording.ToString("D"), "manifest.json"), stream, null, default);
        }

        await catalogue.RecordingClosedAsync(new RecordingClosed(recording, DateTimeOffset.UtcNow, 1, segment.Length, new string('a', 64), new string('b', 64), 0, false));
        await catalogue.RecordingStoredAsync(recording, FileSystemEvidenceStorePlugin.Name, DateTimeOffset.UtcNow);
        return (id, recording);
    }

    private Task<IReadOnlyList<AuditRecord>> AuditAsync(string subject) =>
        Relay.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Subject = subject });

    // The store keeps objects read-only (0444); the test's own clean-up needs them writable.
    private static void MakeWritable(string directory)
    {
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
    }
}
