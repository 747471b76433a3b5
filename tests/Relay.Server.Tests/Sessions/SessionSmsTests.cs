using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Server.Tests.Sessions;

public sealed class SessionSmsTests
{
    [Fact]
    public async Task Create_SendsTheLinkByTheConfiguredSender_AndGetFollowsItsDelivery()
    {
        var sender = new TestSmsSender();
        await using TestRelay relay = await StartAsync(sender);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string id = body.GetProperty("id").GetString()!;
        Assert.Equal("queued", body.GetProperty("sms").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("sms").GetProperty("error").ValueKind);
        SmsMessage message = Assert.Single(sender.Sent);
        Assert.Equal("+447700900123", message.To);
        Assert.Equal(id, message.Reference);
        Assert.Contains(body.GetProperty("link").GetString()!, message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("INC-", message.Body, StringComparison.Ordinal);

        sender.Delivery = new SmsDeliveryReport(SmsDeliveryState.Delivered, null, DateTimeOffset.UtcNow);
        JsonElement session = await officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("delivered", session.GetProperty("sms").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Create_StoresTheSessionAndSaysWhy_WhenTheProviderRefuses()
    {
        var sender = new TestSmsSender { Answer = SmsSendResult.Refused("21211: invalid 'To' number", retryable: false) };
        await using TestRelay relay = await StartAsync(sender);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement sms = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sms");
        Assert.Equal("failed", sms.GetProperty("state").GetString());
        Assert.Contains("21211: invalid 'To' number", sms.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_RefusesANumberOutsideTheAllowedCountries_With422()
    {
        var sender = new TestSmsSender();
        await using TestRelay relay = await StartAsync(sender);
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", Session("+33612345678"));

        JsonElement problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "only to numbers with the country code +44");
        Assert.Equal("AllowedCountryCodes", problem.GetProperty("limit").GetString());
        Assert.Empty(sender.Sent);
        Assert.Equal(0, (await officer.GetFromJsonAsync<JsonElement>("/api/sessions")).GetArrayLength());
    }

    [Fact]
    public async Task Create_AcceptsAConfiguredCountry()
    {
        var sender = new TestSmsSender();
        await using TestRelay relay = await StartAsync(sender, "--Relay:Sms:Limits:AllowedCountryCodes:0=44", "--Relay:Sms:Limits:AllowedCountryCodes:1=353");
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", Session("+353851234567"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Create_RefusesPastTheNumbersLimit_With429NamingTheLimitAndWhenItFrees()
    {
        var sender = new TestSmsSender();
        await using TestRelay relay = await StartAsync(sender, "--Relay:Sms:Limits:PerNumber:Count=2");
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
        (await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"))).EnsureSuccessStatusCode();
        (await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"))).EnsureSuccessStatusCode();

        HttpResponseMessage refused = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"));
        HttpResponseMessage another = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900124"));

        JsonElement problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "per destination number SMS limit (Relay:Sms:Limits:PerNumber) allows 2");
        Assert.Equal("PerNumber", problem.GetProperty("limit").GetString());
        Assert.InRange(problem.GetProperty("retryAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.Equal(HttpStatusCode.Created, another.StatusCode);
        Assert.Equal(3, sender.Sent.Count);
    }

    [Fact]
    public async Task TheOfficersLimit_SurvivesARestart()
    {
        string directory = Directory.CreateTempSubdirectory("relay-sms-restart-").FullName;
        try
        {
            await using (TestRelay first = await StartOnAsync(new TestSmsSender(), directory, "--Relay:Sms:Limits:PerOfficer:Count=1"))
            {
                using HttpClient officer = first.CreateClient(TestRelay.OfficerKey);
                (await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"))).EnsureSuccessStatusCode();
            }

            await using TestRelay second = await StartOnAsync(new TestSmsSender(), directory, "--Relay:Sms:Limits:PerOfficer:Count=1");
            using HttpClient again = second.CreateClient(TestRelay.OfficerKey);
            HttpResponseMessage refused = await again.PostAsJsonAsync("/api/sessions", Session("+447700900999"));

            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "'cad' has sent 1");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_RefusesAnUnknownAllowedCountryCode()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestRelay.StartAsync("--Relay:Sms:Limits:AllowedCountryCodes:0=+44"));
    }

    [Fact]
    public async Task By_default_the_link_goes_to_the_outbox_plugin_whose_file_is_in_the_data_directory()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);

        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", body.GetProperty("sms").GetProperty("state").GetString());
        string outbox = await File.ReadAllTextAsync(Path.Combine(relay.DataDirectory, "sms-outbox.jsonl"));
        Assert.Contains(body.GetProperty("link").GetString()!, outbox, StringComparison.Ordinal);
        Assert.Contains("+447700900123", outbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_data_directory_holds_both_the_database_and_the_outbox_beside_the_binaries()
    {
        string relative = "relay-relative-data-" + Guid.NewGuid().ToString("N");
        string expected = Path.Combine(AppContext.BaseDirectory, relative);
        try
        {
            await using (TestRelay relay = await TestRelay.StartAsync("--Relay:DataDirectory=" + relative))
            {
                // Made absolute once, so plugins (which resolve against the working directory) see the same folder.
                Assert.Equal(expected, relay.App.Configuration["Relay:DataDirectory"]);
                using HttpClient officer = relay.CreateClient(TestRelay.OfficerKey);
                Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/sessions", Session("+447700900123"))).StatusCode);
            }

            Assert.True(File.Exists(Path.Combine(expected, "relay.db")));
            Assert.True(File.Exists(Path.Combine(expected, "sms-outbox.jsonl")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(expected))
            {
                Directory.Delete(expected, recursive: true);
            }
        }
    }

    private static Task<TestRelay> StartAsync(TestSmsSender sender, params string[] args) => StartOnAsync(sender, null, args);

    private static Task<TestRelay> StartOnAsync(TestSmsSender sender, string? directory, params string[] args) =>
        TestRelay.StartWithAsync(services => services.AddSingleton<ISmsSender>(sender), directory, args);

    private static object Session(string phone) => new { incident = "INC-9", phone, mode = "video", retention = "mopi-group-3" };
}
