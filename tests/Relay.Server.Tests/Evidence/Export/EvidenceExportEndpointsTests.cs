using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Audit;
using Relay.Control.Chat;
using Relay.Control.Evidence;
using Relay.Control.Users;
using Relay.Recording.Bundles;
using Relay.Recording.Manifests;
using Relay.Server.Recording;

namespace Relay.Server.Tests.Evidence.Export;

public sealed class EvidenceExportEndpointsTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Phone = "+447700900123";
    private const string OtherPhone = "+447700900999";

    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    public async Task InitializeAsync() => _relay = await TestRelay.StartAsync();

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_officer_is_refused_and_an_anonymous_caller_is_asked_to_sign_in()
    {
        EvidenceItem item = await ItemAsync("a1", Phone, recordings: 1);
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage refused = await officer.PostAsJsonAsync($"/api/evidence/{item.Id}/export", new { reason = "court" });
        HttpResponseMessage anonymous = await Relay.Http.PostAsJsonAsync($"/api/evidence/{item.Id}/export", new { reason = "court" });
        HttpResponseMessage subject = await officer.PostAsJsonAsync("/api/subject-access", new { phone = Phone, reason = "SAR 1" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, subject.StatusCode);
        Assert.Empty(await AuditAsync(AuditActions.Export, item.Id));
    }

    [Fact]
    public async Task An_evidence_manager_gets_a_bundle_that_verifies_and_the_export_and_disclosure_are_audited()
    {
        EvidenceItem item = await ItemAsync("b1", Phone, recordings: 2);
        using HttpClient manager = await EvidenceManagerAsync();

        HttpResponseMessage response = await manager.PostAsJsonAsync($"/api/evidence/{item.Id}/export", new { reason = "file for court", recipient = "CPS London" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        byte[] zip = await response.Content.ReadAsByteArrayAsync();
        BundleVerification verification = EvidenceBundleVerifier.Verify(new MemoryStream(zip));
        Assert.True(verification.IsValid, string.Join("\n", verification.Problems));
        Assert.Equal(Relay.Services.GetRequiredService<RecordingService>().SigningKey.PublicKey, verification.SigningKey);
        Assert.Equal(2, verification.RecordingsChecked);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(zip));
        AuditRecord export = Assert.Single(await AuditAsync(AuditActions.Export, item.Id));
        Assert.Equal("file for court", export.Reason);
        Assert.Equal("em1", export.Actor);
        Assert.Equal(sha256, export.Details["bundleSha256"]);
        AuditRecord disclosure = Assert.Single(await AuditAsync(AuditActions.Disclosure, item.Id));
        Assert.Equal("CPS London", disclosure.Recipient);
        Assert.Equal(sha256, disclosure.Details["bundleSha256"]);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        Assert.NotNull(archive.GetEntry($"items/{item.Id}/audit.json"));
        Assert.NotNull(archive.GetEntry($"items/{item.Id}/item.json"));
        Assert.NotNull(archive.GetEntry($"items/{item.Id}/recordings/{item.Recordings[0].RecordingId:D}/location.gpx"));
    }

    [Fact]
    public async Task The_bundle_carries_the_audit_entries_about_the_item()
    {
        EvidenceItem item = await ItemAsync("c1", Phone, recordings: 1);
        await Relay.Services.GetRequiredService<IAuditLog>().AppendAsync(new AuditEntry(AuditActions.View, "pc1", item.Id, null, null, null));
        await Relay.Services.GetRequiredService<IAuditLog>().AppendAsync(new AuditEntry(AuditActions.View, "pc2", "someone-else", null, null, null));
        using HttpClient manager = await EvidenceManagerAsync();

        byte[] zip = await (await manager.PostAsJsonAsync($"/api/evidence/{item.Id}/export", new { reason = "review" })).Content.ReadAsByteArrayAsync();

        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        using Stream audit = archive.GetEntry($"items/{item.Id}/audit.json")!.Open();
        JsonElement rows = (await JsonDocument.ParseAsync(audit)).RootElement;
        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("actor").GetString() == "pc1");
        Assert.DoesNotContain(rows.EnumerateArray(), r => r.GetProperty("actor").GetString() == "pc2");
        Assert.Empty(await AuditAsync(AuditActions.Disclosure, item.Id));
    }

    [Fact]
    public async Task An_unknown_item_is_404_and_a_missing_reason_is_400()
    {
        using HttpClient manager = await EvidenceManagerAsync();

        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync("/api/evidence/nothing/export", new { reason = "x" }), HttpStatusCode.NotFound, "No evidence is held");
        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync("/api/evidence/nothing/export", new { recipient = "x" }), HttpStatusCode.BadRequest, "Say why");
        await ProblemAssert.IsProblemAsync(await manager.PostAsJsonAsync("/api/subject-access", new { phone = "07700 900123", reason = "x" }), HttpStatusCode.BadRequest, "E.164");
    }

    [Fact]
    public async Task Subject_access_returns_only_that_numbers_items_and_sessions_and_is_audited()
    {
        EvidenceItem first = await ItemAsync("d1", Phone, recordings: 1);
        EvidenceItem second = await ItemAsync("d2", Phone, recordings: 1);
        EvidenceItem other = await ItemAsync("d3", OtherPhone, recordings: 1);
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        string session = await SessionAsync(Phone);
        string otherSession = await SessionAsync(OtherPhone);
        using HttpClient manager = await EvidenceManagerAsync();

        HttpResponseMessage response = await manager.PostAsJsonAsync("/api/subject-access", new { phone = Phone, reason = "SAR 2026/17" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] zip = await response.Content.ReadAsByteArrayAsync();
        Assert.True(EvidenceBundleVerifier.Verify(new MemoryStream(zip)).IsValid);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        string[] items = [.. archive.Entries.Select(e => e.FullName.Split('/')).Where(p => p[0] == "items").Select(p => p[1]).Distinct().Order(StringComparer.Ordinal)];
        Assert.Equal(new[] { first.Id, second.Id, session }.Order(StringComparer.Ordinal), items);
        Assert.DoesNotContain(other.Id, items);
        Assert.DoesNotContain(otherSession, items);
        Assert.NotNull(archive.GetEntry($"items/{session}/session.json"));
        Assert.NotNull(archive.GetEntry($"items/{first.Id}/recordings/{first.Recordings[0].RecordingId:D}/manifest.json"));
        AuditRecord request = Assert.Single(await AuditAsync("subject-access", null));
        Assert.Equal("SAR 2026/17", request.Reason);
        Assert.Equal("3", request.Details["items"]);
        Assert.DoesNotContain(Phone, request.Details["phone"], StringComparison.Ordinal);
        Assert.Single(await AuditAsync(AuditActions.Disclosure, first.Id));
        Assert.Single(await AuditAsync(AuditActions.Disclosure, session));
        Assert.Empty(await AuditAsync(AuditActions.Disclosure, other.Id));
    }

    [Fact]
    public async Task Subject_access_carries_each_sessions_chat_as_json_that_survives_hostile_text()
    {
        EvidenceItem item = await ItemAsync("chat", Phone, recordings: 1);
        string unrecorded = await SessionAsync(Phone);
        string other = await SessionAsync(OtherPhone);
        ChatHistory chat = Relay.Services.GetRequiredService<ChatHistory>();
        string hostile = "\"}]},{\"from\":\"officer\" </script><script>alert(1)</script> \u0000 \ud83d\ude91 \\ end";
        chat.Add(item.Id, new ChatMessage(ChatSender.Caller, null, "I can see him by the bins", DateTimeOffset.UtcNow));
        chat.Add(item.Id, new ChatMessage(ChatSender.Officer, "PC 123", hostile, DateTimeOffset.UtcNow));
        chat.Add(unrecorded, new ChatMessage(ChatSender.Caller, null, "The link did not work", DateTimeOffset.UtcNow));
        chat.Add(other, new ChatMessage(ChatSender.Caller, null, "someone else's words", DateTimeOffset.UtcNow));
        using HttpClient manager = await EvidenceManagerAsync();

        HttpResponseMessage response = await manager.PostAsJsonAsync("/api/subject-access", new { phone = Phone, reason = "SAR 2026/18" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] zip = await response.Content.ReadAsByteArrayAsync();
        Assert.True(EvidenceBundleVerifier.Verify(new MemoryStream(zip)).IsValid);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        JsonElement[] messages = ReadJsonArray(archive, $"items/{item.Id}/chat.json");
        Assert.Equal(2, messages.Length);
        Assert.Equal(("caller", "I can see him by the bins"), (messages[0].GetProperty("from").GetString(), messages[0].GetProperty("text").GetString()));
        Assert.Equal(("officer", "PC 123", hostile), (messages[1].GetProperty("from").GetString(), messages[1].GetProperty("author").GetString(), messages[1].GetProperty("text").GetString()));
        Assert.Equal("The link did not work", Assert.Single(ReadJsonArray(archive, $"items/{unrecorded}/chat.json")).GetProperty("text").GetString());
        Assert.DoesNotContain(archive.Entries, e => e.FullName.Contains(other, StringComparison.Ordinal));
    }

    private static JsonElement[] ReadJsonArray(System.IO.Compression.ZipArchive archive, string name)
    {
        System.IO.Compression.ZipArchiveEntry entry = archive.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the bundle");
        using Stream stream = entry.Open();
        using JsonDocument document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select(static e => e.Clone())];
    }

    /// <summary>A session for <paramref name="phone"/> made through the API, with <paramref name="recordings"/> real recordings entered in the real catalogue as the recorder's host enters them.</summary>
    private async Task<EvidenceItem> ItemAsync(string name, string phone, int recordings)
    {
        string id = await SessionAsync(phone, "INC-" + name);
        RecordingService service = Relay.Services.GetRequiredService<RecordingService>();
        IEvidenceCatalogue catalogue = Relay.Services.GetRequiredService<IEvidenceCatalogue>();
        for (int i = 0; i < recordings; i++)
        {
            RecordingManifest manifest = await ExportTestRecordings.RecordAsync(service.Directory, id, service.SigningKey);
            await catalogue.RecordingStartedAsync(new RecordingStarted(manifest.RecordingId, id, "node-1", DateTimeOffset.UtcNow));
            byte[] signed = await File.ReadAllBytesAsync(Path.Combine(service.Directory, manifest.RecordingId.ToString("D"), ManifestFiles.Signed));
            await catalogue.RecordingClosedAsync(new RecordingClosed(
                manifest.RecordingId, DateTimeOffset.UtcNow, manifest.Segments.Count, manifest.Segments.Sum(s => s.Length), manifest.ChainHash,
                Convert.ToHexStringLower(SHA256.HashData(signed)), manifest.Gaps.Count, manifest.Recovered));
        }

        EvidenceItem? item = await catalogue.FindAsync(id);
        Assert.NotNull(item);
        Assert.Equal(recordings, item.Recordings.Count);
        return item;
    }

    private async Task<string> SessionAsync(string phone, string incident = "INC-9")
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage created = await officer.PostAsJsonAsync("/api/sessions", new { incident, phone, mode = "location" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<HttpClient> EvidenceManagerAsync()
    {
        IUserDirectory users = Relay.Services.GetRequiredService<IUserDirectory>();
        if (await users.FindAsync("em1") is null)
        {
            await users.CreateAsync("em1", "Evidence Manager", [UserRoles.EvidenceManager], Password, "test");
        }

        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = Relay.BaseAddress };
        HttpResponseMessage login = await client.PostAsJsonAsync("/api/login", new { username = "em1", password = Password });
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        return client;
    }

    private Task<IReadOnlyList<AuditRecord>> AuditAsync(string action, string? subject) =>
        Relay.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Action = action, Subject = subject });
}
