using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Sessions;

namespace Relay.Server.Tests.Sessions;

public sealed class SessionEndpointsTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private HttpClient Officer { get; } = fixture.Relay.CreateClient(TestRelay.OfficerKey);

    [Fact]
    public async Task Create_Answers201WithIdLinkAndExpiry()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow;

        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", Valid());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string id = body.GetProperty("id").GetString()!;
        Assert.Equal(new Uri($"/api/sessions/{id}", UriKind.Relative), response.Headers.Location);
        var link = new Uri(body.GetProperty("link").GetString()!);
        Assert.Equal(fixture.Relay.BaseAddress.Authority, link.Authority);
        Assert.StartsWith("/c/", link.AbsolutePath, StringComparison.Ordinal);
        DateTimeOffset expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt, before.AddMinutes(30).AddMilliseconds(-1), DateTimeOffset.UtcNow.AddMinutes(30));
        // The default provider is the outbox plugin, which has the message at once.
        Assert.Equal("delivered", body.GetProperty("sms").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("sms").GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Create_MintsATokenOfAtLeast128RandomBitsAndKeepsOnlyItsHash()
    {
        (string id, string token) = await CreateAsync();
        (_, string other) = await CreateAsync();

        Assert.True(token.Length >= 22, "128 bits take at least 22 base64url characters.");
        Assert.Equal(43, token.Length);
        Assert.NotEqual(token, other);
        CallSession stored = (await fixture.Relay.Services.GetRequiredService<ISessionStore>().FindAsync(id))!;
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored.CallerTokenHash);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ReturnsTheSessionAsCreated()
    {
        (string id, _) = await CreateAsync();

        JsonElement session = await Officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");

        Assert.Equal(id, session.GetProperty("id").GetString());
        Assert.Equal("INC-42", session.GetProperty("incident").GetString());
        Assert.Equal("+447700900123", session.GetProperty("phone").GetString());
        Assert.Equal("video", session.GetProperty("mode").GetString());
        Assert.Equal("mopi-group-3", session.GetProperty("retention").GetString());
        Assert.Equal("waiting", session.GetProperty("state").GetString());
        Assert.Equal("cad", session.GetProperty("createdBy").GetString());
        Assert.False(session.GetProperty("audio").GetBoolean());
        Assert.False(session.GetProperty("linkUsed").GetBoolean());
        Assert.Equal("delivered", session.GetProperty("sms").GetProperty("state").GetString());
        Assert.False(session.TryGetProperty("callerTokenHash", out _));
    }

    [Fact]
    public async Task Create_KeepsTheAudioChoice()
    {
        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-1", phone = "+447700900123", mode = "video", audio = true, retention = "mopi-group-3" });
        string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        JsonElement session = await Officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");

        Assert.True(session.GetProperty("audio").GetBoolean());
    }

    [Fact]
    public async Task Create_RefusesAudioOnALocationOnlySession()
    {
        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-1", phone = "+447700900123", mode = "location", audio = true, retention = "mopi-group-3" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "cannot ask for sound");
    }

    [Fact]
    public async Task Sessions_SurviveARestartOfTheRelay()
    {
        string directory = Directory.CreateTempSubdirectory("relay-restart-").FullName;
        try
        {
            string id;
            await using (TestRelay first = await TestRelay.StartOnAsync(directory))
            {
                using HttpClient officer = first.CreateClient(TestRelay.OfficerKey);
                id = (await (await officer.PostAsJsonAsync("/api/sessions", Valid())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            }

            await using TestRelay second = await TestRelay.StartOnAsync(directory);
            using HttpClient again = second.CreateClient(TestRelay.OfficerKey);
            JsonElement session = await again.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
            Assert.Equal("INC-42", session.GetProperty("incident").GetString());
            Assert.Equal("waiting", session.GetProperty("state").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Get_UnknownSession_Is404Problem()
    {
        HttpResponseMessage response = await Officer.GetAsync(new Uri("/api/sessions/0123456789abcdef", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "no session '0123456789abcdef'");
    }

    [Fact]
    public async Task Delete_EndsTheSession()
    {
        (string id, _) = await CreateAsync();

        HttpResponseMessage response = await Officer.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        JsonElement session = await Officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("ended", session.GetProperty("state").GetString());
    }

    [Fact]
    public async Task List_IncludesCreatedSessions()
    {
        (string id, _) = await CreateAsync();

        JsonElement list = await Officer.GetFromJsonAsync<JsonElement>("/api/sessions");

        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("phone", "07700900123", "not a number in E.164 form")]
    [InlineData("phone", "+44 7700 900123", "not a number in E.164 form")]
    [InlineData("phone", "+0447700900123", "not a number in E.164 form")]
    [InlineData("phone", "+4477009001234567", "not a number in E.164 form")]
    [InlineData("phone", "+2591234567", "not a number in E.164 form")]
    [InlineData("phone", "+4477009\u0000123", "not a number in E.164 form")]
    [InlineData("phone", "", "mobile number in E.164 form")]
    [InlineData("mode", "audio", "'audio' is not a mode; use \"video\"")]
    [InlineData("mode", "", "Give the mode")]
    [InlineData("incident", "", "Give the incident reference")]
    [InlineData("incident", "line\nbreak", "printable characters")]
    [InlineData("retention", "", "Give the retention category")]
    [InlineData("retention", "seven years", "'seven years' is not a retention category here; use one of mopi-group-1, mopi-group-2, mopi-group-3, not-needed")]
    public async Task Create_RefusesAnInvalidField_SayingWhatIsWrong(string field, string value, string message)
    {
        Dictionary<string, string> body = Valid();
        body[field] = value;

        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", body);

        JsonElement problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, message);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_RefusesAnEmptyObject_ListingEveryMissingField()
    {
        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", new { });

        JsonElement problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        JsonElement errors = problem.GetProperty("errors");
        foreach (string field in new[] { "incident", "phone", "mode" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.False(errors.TryGetProperty("retention", out _), "A session without a retention category gets the default one.");
    }

    [Fact]
    public async Task Create_RefusesANonJsonBody_With415()
    {
        using var content = new StringContent("incident=1", Encoding.UTF8, "application/x-www-form-urlencoded");

        HttpResponseMessage response = await Officer.PostAsync(new Uri("/api/sessions", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task Create_RefusesAnOversizedChunkedBody_With413_WithoutAContentLength()
    {
        // A body sent in chunks has no length up front: the limit must hold as it arrives.
        byte[] huge = Encoding.UTF8.GetBytes("{\"incident\": \"" + new string('x', 1024 * 1024) + "\"}");
        using var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/sessions", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        HttpResponseMessage response = await Officer.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "at most");
    }

    [Fact]
    public async Task Create_RefusesMalformedJson_With400()
    {
        using var content = new StringContent("{\"incident\": ", Encoding.UTF8, "application/json");

        HttpResponseMessage response = await Officer.PostAsync(new Uri("/api/sessions", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task Create_UsesTheConfiguredLinkBaseAndLifetime()
    {
        await using TestRelay relay = await TestRelay.StartAsync(
            "--Relay:Sessions:LinkBaseUrl=https://relay.force.example/",
            "--Relay:Sessions:CallerTokenLifetime=00:05:00");
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        JsonElement body = await (await officer.PostAsJsonAsync("/api/sessions", Valid())).Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("https://relay.force.example/c/", body.GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.InRange(body.GetProperty("expiresAt").GetDateTimeOffset(), before.AddMinutes(5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Create_WithoutARetentionCategory_GivesTheDefaultOne()
    {
        Dictionary<string, string> body = Valid();
        body.Remove("retention");

        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal("not-needed", (await Officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("retention").GetString());
    }

    [Fact]
    public async Task Create_AcceptsACategoryTheForceAdded()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        using HttpClient engineer = relay.CreateClient(TestRelay.OperatorKey);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        Dictionary<string, string> body = Valid();
        body["retention"] = "major-crime";
        await ProblemAssert.IsProblemAsync(await officer.PostAsJsonAsync("/api/sessions", body), HttpStatusCode.BadRequest, "'major-crime' is not a retention category here");

        HttpResponseMessage added = await engineer.PutAsJsonAsync("/api/retention/categories/major-crime", new { name = "Major crime", reviewPeriod = "P30Y", disposal = "review", reason = "Force policy" });

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/sessions", body)).StatusCode);
    }

    [Fact]
    public async Task TheOldRetentionCategoriesSettingStopsTheRelayWithWhereTheyAreNow()
    {
        Microsoft.Extensions.Options.OptionsValidationException e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestRelay.StartAsync("--Relay:Sessions:RetentionCategories:0=standard"));

        Assert.Contains("/api/retention/categories", e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Valid() => new()
    {
        ["incident"] = "INC-42",
        ["phone"] = "+447700900123",
        ["mode"] = "video",
        ["retention"] = "mopi-group-3",
    };

    private async Task<(string Id, string Token)> CreateAsync()
    {
        HttpResponseMessage response = await Officer.PostAsJsonAsync("/api/sessions", Valid());
        response.EnsureSuccessStatusCode();
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string link = body.GetProperty("link").GetString()!;
        return (body.GetProperty("id").GetString()!, link[(link.LastIndexOf('/') + 1)..]);
    }
}
