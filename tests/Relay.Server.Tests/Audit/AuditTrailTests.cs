using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Audit;
using Relay.Server.Audit;
using Relay.Server.Tests.Signalling;

namespace Relay.Server.Tests.Audit;

public sealed class AuditTrailTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private const string Phone = "+447700900123";

    private TestRelay Relay => fixture.Relay;

    private async Task<(string Id, string Link)> CreateAsync()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-42", phone = Phone, mode = "video", retention = "mopi-group-3" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("link").GetString()!);
    }

    private Task<IReadOnlyList<AuditRecord>> EntriesAsync(string id) =>
        Relay.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Subject = id });

    [Fact]
    public async Task CreatingASessionRecordsWhoCreatedItAndTheSmsWithTheNumberMasked()
    {
        (string id, _) = await CreateAsync();

        IReadOnlyList<AuditRecord> entries = await EntriesAsync(id);

        AuditRecord created = Assert.Single(entries, e => e.Action == AuditActions.SessionCreated);
        Assert.Equal("cad", created.Actor);
        Assert.Equal("INC-42", created.Details["incident"]);
        Assert.Equal("video", created.Details["mode"]);
        Assert.Equal("mopi-group-3", created.Details["retention"]);
        Assert.Equal("+44*******123", created.Details["phone"]);
        AuditRecord sms = Assert.Single(entries, e => e.Action == AuditActions.SmsSent);
        Assert.Equal("cad", sms.Actor);
        Assert.Equal("+44*******123", sms.Recipient);
        Assert.True(sms.Details.ContainsKey("state"));
        foreach (AuditRecord entry in entries)
        {
            Assert.DoesNotContain(Phone, JsonSerializer.Serialize(entry), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnOfficerEndingTheSessionIsRecordedOnce()
    {
        (string id, _) = await CreateAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);

        Assert.Equal(HttpStatusCode.NoContent, (await officer.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await officer.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);

        AuditRecord ended = Assert.Single(await EntriesAsync(id), e => e.Action == AuditTrail.SessionEnded);
        Assert.Equal("cad", ended.Actor);
    }

    [Fact]
    public async Task TheCallersStopIsRecordedWithTheCallerAsActor()
    {
        (string id, string link) = await CreateAsync();
        HttpResponseMessage started = await Relay.Http.PostAsync(new Uri(link + "/start"), null);
        string key = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callerKey").GetString()!;
        using HttpClient caller = Relay.CreateClient(key);

        Assert.Equal(HttpStatusCode.NoContent, (await caller.PostAsync(new Uri($"/api/caller/{id}/stop", UriKind.Relative), null)).StatusCode);

        AuditRecord ended = Assert.Single(await EntriesAsync(id), e => e.Action == AuditTrail.SessionEnded);
        Assert.Equal("caller", ended.Actor);
    }

    [Fact]
    public async Task OpeningThePlayerIsRecordedAsAView()
    {
        (string id, _) = await CreateAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);

        await officer.GetAsync(new Uri($"/player/{id}", UriKind.Relative));

        AuditRecord view = Assert.Single(await EntriesAsync(id), e => e.Action == AuditActions.View);
        Assert.Equal("cad", view.Actor);
        Assert.Equal("player", view.Details["what"]);
    }

    [Fact]
    public async Task ASnapshotIsRecordedAsACollectionWithItsHash()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0xFF, 0xD9];
        (string id, _) = await CreateAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        using var content = new ByteArrayContent(jpeg);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");

        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsync(new Uri($"/api/sessions/{id}/snapshots", UriKind.Relative), content)).StatusCode);

        AuditRecord collection = Assert.Single(await EntriesAsync(id), e => e.Action == AuditActions.Collection);
        Assert.Equal("cad", collection.Actor);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(jpeg)), collection.Details["sha256"]);
    }

    [Fact]
    public async Task AViewerJoiningOverWhepIsRecordedAsAViewOfTheLiveVideo()
    {
        (string id, string key) = await SignallingClient.CreateSessionAsync(Relay);
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(Relay, $"/whip/{id}", key, Fixture("chrome-whip-offer.sdp"));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        HttpResponseMessage watched = await SignallingClient.PostOfferAsync(Relay, $"/whep/{id}", TestRelay.OfficerKey, Fixture("chrome-whep-offer.sdp"));

        Assert.Equal(HttpStatusCode.Created, watched.StatusCode);
        AuditRecord view = Assert.Single(await EntriesAsync(id), e => e.Action == AuditActions.View);
        Assert.Equal("cad", view.Actor);
        Assert.Equal("live-video", view.Details["what"]);
    }

    [Theory]
    [InlineData("+447700900123", "+44*******123")]
    [InlineData("+3312345", "+33**345")]
    [InlineData("+4412", "*****")]
    public void APhoneNumberIsMaskedToItsCountryAndLastDigits(string phone, string masked) =>
        Assert.Equal(masked, AuditTrail.MaskPhone(phone));

    private static string Fixture(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)).ReplaceLineEndings("\r\n");
}
