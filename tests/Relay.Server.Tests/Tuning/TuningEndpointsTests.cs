using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Relay.Control.Audit;
using Relay.Control.Tuning;
using Relay.Plugins.Abstractions.Sms;
using Relay.Server.Media;
using Relay.Server.Tests.Sessions;
using Relay.Server.Tests.Signalling;

namespace Relay.Server.Tests.Tuning;

/// <summary><c>/api/tuning</c> against the real relay: a change is checked, stored, audited and used without a restart.</summary>
public sealed class TuningEndpointsTests
{
    private const string TokenLifetime = "Relay:Sessions:CallerTokenLifetime";

    [Fact]
    public async Task AChangedCallerTokenLifetimeIsUsedByTheNextSession_WithoutARestart()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        DateTimeOffset before = await ExpiresAtAsync(officer);

        HttpResponseMessage changed = await engineer.PutAsJsonAsync($"/api/tuning/{TokenLifetime}", new { value = "00:05:00", reason = "Night shift: links must not linger" });
        DateTimeOffset after = await ExpiresAtAsync(officer);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        JsonElement body = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("00:05:00", body.GetProperty("setting").GetProperty("value").GetString());
        Assert.Equal("tuned", body.GetProperty("setting").GetProperty("source").GetString());
        Assert.Contains("was 00:30:00", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        // The first link got the configured 30 minutes, the next one the tuned 5: 25 minutes sooner, give or take the test's own run time.
        Assert.InRange(before - after, TimeSpan.FromMinutes(24), TimeSpan.FromMinutes(26));
    }

    [Fact]
    public async Task GetListsEverySettingWithItsValueAndWhereItComesFrom()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);

        JsonElement list = await engineer.GetFromJsonAsync<JsonElement>("/api/tuning");

        JsonElement lifetime = Setting(list, TokenLifetime);
        Assert.Equal(("00:30:00", "default", true), (lifetime.GetProperty("value").GetString(), lifetime.GetProperty("source").GetString(), lifetime.GetProperty("canChange").GetBoolean()));
        Assert.Contains("already sent keep", lifetime.GetProperty("appliesTo").GetString(), StringComparison.Ordinal);
        foreach (string key in new[] { "Relay:Media:MaxRetransmissionBytesPerSecond", "Relay:Media:PacketCacheCapacity", "Relay:Media:KeyframeRequestInterval", "Relay:Recording:SegmentDuration", "Relay:Sms:Limits:PerCountry:Count", "Relay:Sms:Limits:AllowedCountryCodes" })
        {
            Assert.Equal(JsonValueKind.String, Setting(list, key).GetProperty("value").ValueKind);
        }
    }

    [Fact]
    public async Task ASettingGivenOnTheCommandLineIsShownAsSetByTheEnvironment_AndAChangeIsRefusedWith409()
    {
        // TestRelay passes --Relay:Sms:Limits:PerNumber:Count=10000 as a deployment passes arguments or environment variables.
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);

        JsonElement perNumber = Setting(await engineer.GetFromJsonAsync<JsonElement>("/api/tuning"), "Relay:Sms:Limits:PerNumber:Count");
        HttpResponseMessage refused = await engineer.PutAsJsonAsync("/api/tuning/Relay:Sms:Limits:PerNumber:Count", new { value = "5", reason = "test" });

        Assert.Equal(("10000", "environment", false), (perNumber.GetProperty("value").GetString(), perNumber.GetProperty("source").GetString(), perNumber.GetProperty("canChange").GetBoolean()));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "set by the environment");
        Assert.Equal(10000, relay.Services.GetRequiredService<IOptionsMonitor<Relay.Control.Sms.SmsLimitOptions>>().CurrentValue.PerNumber.Count);
    }

    [Theory]
    [InlineData("2.00:00:00", "Relay:Sessions:CallerTokenLifetime is 2.00:00:00; give 00:00:01 to 1.00:00:00")]
    [InlineData("half an hour", "takes a time span")]
    public async Task AValueBreakingTheSettingsRuleIsRefusedWith400NamingTheSettingAndTheRule_AndNothingChanges(string value, string rule)
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);

        HttpResponseMessage refused = await engineer.PutAsJsonAsync($"/api/tuning/{TokenLifetime}", new { value, reason = "test" });

        JsonElement problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, rule);
        Assert.True(problem.GetProperty("errors").TryGetProperty(TokenLifetime, out _));
        Assert.Equal("00:30:00", Setting(await engineer.GetFromJsonAsync<JsonElement>("/api/tuning"), TokenLifetime).GetProperty("value").GetString());
        Assert.Empty(await AuditAsync(relay, TokenLifetime));
    }

    [Fact]
    public async Task AChangeWithoutAReasonIsRefused()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);

        HttpResponseMessage refused = await engineer.PutAsJsonAsync($"/api/tuning/{TokenLifetime}", new { value = "00:10:00" });

        JsonElement problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "Give a reason");
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task AnUnknownSettingIs404()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);

        HttpResponseMessage refused = await engineer.PutAsJsonAsync("/api/tuning/Relay:Media:Port", new { value = "1", reason = "test" });

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.NotFound, "GET /api/tuning lists");
    }

    [Fact]
    public async Task OnlyAnEngineerMayReadOrChangeTheSettings()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/tuning")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PutAsJsonAsync($"/api/tuning/{TokenLifetime}", new { value = "00:10:00", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await relay.Http.GetAsync("/api/tuning")).StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(30), relay.Services.GetRequiredService<IOptionsMonitor<Relay.Server.Sessions.CallSessionOptions>>().CurrentValue.CallerTokenLifetime);
    }

    [Fact]
    public async Task AChangeIsAuditedWithWhoTheOldAndNewValueAndTheReason()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);

        (await engineer.PutAsJsonAsync("/api/tuning/Relay:Media:PacketCacheCapacity", new { value = 4096, reason = "Vehicles on 4G with 600 ms round trips" })).EnsureSuccessStatusCode();

        AuditRecord record = Assert.Single(await AuditAsync(relay, "Relay:Media:PacketCacheCapacity"));
        Assert.Equal((TuningStore.AuditAction, "prometheus", "Vehicles on 4G with 600 ms round trips"), (record.Action, record.Actor, record.Reason));
        Assert.Equal(("1024", "4096"), (record.Details["from"], record.Details["to"]));
        Assert.Equal(4096, relay.Services.GetRequiredService<IOptionsMonitor<MediaNodeOptions>>().CurrentValue.PacketCacheCapacity);
    }

    [Fact]
    public async Task ATunedValueOutlivesARestart_AndAResetGoesBackToTheConfiguredValue()
    {
        string directory = Directory.CreateTempSubdirectory("relay-tuning-restart-").FullName;
        try
        {
            await using (TestRelay first = await TestRelay.StartOnAsync(directory))
            {
                using HttpClient engineer = first.CreateClient(TestRelay.OperatorKey);
                (await engineer.PutAsJsonAsync("/api/tuning/Relay:Media:KeyframeRequestInterval", new { value = "00:00:01", reason = "phones on slow links" })).EnsureSuccessStatusCode();
            }

            await using TestRelay second = await TestRelay.StartOnAsync(directory);
            using HttpClient again = second.CreateClient(TestRelay.OperatorKey);
            Assert.Equal(TimeSpan.FromSeconds(1), second.Services.GetRequiredService<IOptionsMonitor<MediaNodeOptions>>().CurrentValue.KeyframeRequestInterval);

            HttpResponseMessage reset = await again.PutAsJsonAsync("/api/tuning/Relay:Media:KeyframeRequestInterval", new { reset = true, reason = "links better now" });

            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            Assert.Equal(TimeSpan.FromMilliseconds(500), second.Services.GetRequiredService<IOptionsMonitor<MediaNodeOptions>>().CurrentValue.KeyframeRequestInterval);
            Assert.Equal("default", Setting(await again.GetFromJsonAsync<JsonElement>("/api/tuning"), "Relay:Media:KeyframeRequestInterval").GetProperty("source").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ALoweredSmsLimitAppliesToTheNextSms()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/sessions", Session("+447700900001"))).StatusCode);

        (await engineer.PutAsJsonAsync("/api/tuning/Relay:Sms:Limits:PerCountry:Count", new { value = "1", reason = "suspected toll fraud" })).EnsureSuccessStatusCode();
        HttpResponseMessage refused = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900002"));

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "allows 1 in");
    }

    [Fact]
    public async Task TheAllowedCountriesCanBeWidenedAsAList()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage bad = await engineer.PutAsJsonAsync("/api/tuning/Relay:Sms:Limits:AllowedCountryCodes", new { value = "44, 999", reason = "x" });
        HttpResponseMessage changed = await engineer.PutAsJsonAsync("/api/tuning/Relay:Sms:Limits:AllowedCountryCodes", new { value = "+44, +353", reason = "Cross-border incident with Garda" });

        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "'999', not a country calling code");
        Assert.Equal("44, 353", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("setting").GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/sessions", Session("+353851234567"))).StatusCode);
    }

    [Fact]
    public async Task ATunedVideoBitrateCapIsInTheNextPublishersWhipAnswer()
    {
        await using TestRelay relay = await StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);
        (string id, string callerKey) = await SignallingClient.CreateSessionAsync(relay);

        (await engineer.PutAsJsonAsync("/api/tuning/Relay:Media:MaxPublisherVideoBitrate", new { value = 1_500_000, reason = "Callers on 3G in rural areas" })).EnsureSuccessStatusCode();
        HttpResponseMessage published = await SignallingClient.PostOfferAsync(relay, $"/whip/{id}", callerKey, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-whip-offer.sdp")).ReplaceLineEndings("\r\n"));
        string answer = await published.Content.ReadAsStringAsync();

        Assert.True(published.StatusCode == HttpStatusCode.Created, answer);
        Assert.Contains("b=AS:1500\r\nb=TIAS:1500000\r\n", answer, StringComparison.Ordinal);
    }

    private static Task<TestRelay> StartAsync() =>
        TestRelay.StartWithAsync(services => services.AddSingleton<ISmsSender>(new TestSmsSender()), null, []);

    private static async Task<DateTimeOffset> ExpiresAtAsync(HttpClient officer)
    {
        HttpResponseMessage created = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset();
    }

    private static async Task<IReadOnlyList<AuditRecord>> AuditAsync(TestRelay relay, string key) =>
        await relay.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery { Subject = TuningStore.AuditSubject(key) });

    private static JsonElement Setting(JsonElement list, string key)
    {
        foreach (JsonElement setting in list.EnumerateArray())
        {
            if (setting.GetProperty("key").GetString() == key)
            {
                return setting;
            }
        }

        Assert.Fail($"{key} is not listed");
        return default;
    }

    private static object Session(string phone) => new { incident = "INC-9", phone, mode = "video", retention = "mopi-group-3" };
}
