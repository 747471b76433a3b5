using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Location;
using Relay.Server.Location;

namespace Relay.Server.Tests.Location;

public sealed class LocationEndpointsTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private TestRelay Relay => fixture.Relay;

    private static double NowMillis => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<(string Id, string CallerKey)> CreateAsync(string mode = "location")
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-7", phone = "+447700900123", mode, retention = "mopi-group-3" });
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string link = body.GetProperty("link").GetString()!;
        HttpResponseMessage started = await Relay.Http.PostAsync(new Uri(link + "/start"), null);
        Assert.True(started.IsSuccessStatusCode, $"POST /c/{{token}}/start answered {(int)started.StatusCode}");
        string callerKey = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callerKey").GetString()!;
        return (body.GetProperty("id").GetString()!, callerKey);
    }

    private Task<TestSocket> OfficerAsync(string id) => TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/sessions/{id}", TestRelay.OfficerKey);

    private Task<TestSocket> CallerAsync(string id, string token) => TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/caller/{id}", token);

    [Fact]
    public async Task APositionReachesEveryOfficerWithItsGridReference()
    {
        (string id, string token) = await CreateAsync();
        await using TestSocket first = await OfficerAsync(id);
        await using TestSocket second = await OfficerAsync(id);
        Assert.Equal("waiting", (await first.WaitForAsync("snapshot")).GetProperty("state").GetString());
        await second.WaitForAsync("snapshot");
        await using TestSocket caller = await CallerAsync(id, token);
        await caller.WaitForAsync("snapshot");

        await caller.SendJsonAsync(new { type = "position", lat = 51.50735, lon = -0.12776, accuracy = 8, heading = 45, speed = 1.2, time = NowMillis });

        foreach (TestSocket officer in (TestSocket[])[first, second])
        {
            JsonElement position = await officer.WaitForAsync("position");
            Assert.Equal(51.50735, position.GetProperty("lat").GetDouble());
            Assert.Equal(8, position.GetProperty("accuracy").GetDouble());
            Assert.Equal(45, position.GetProperty("heading").GetDouble());
            Assert.StartsWith("TQ 30", position.GetProperty("gridRef").GetString(), StringComparison.Ordinal);
            Assert.InRange(position.GetProperty("easting").GetDouble(), 530000, 531000);
            Assert.InRange(position.GetProperty("northing").GetDouble(), 180000, 181000);
        }

        Assert.Equal(51.50735, Relay.Services.GetRequiredService<ILocationDirectory>().GetLast(id)!.Latitude);
    }

    [Fact]
    public async Task ALocationOnlyCallerMakesTheSessionLiveAndAnOfficerJoiningLateGetsTheTrail()
    {
        (string id, string token) = await CreateAsync();
        await using TestSocket caller = await CallerAsync(id, token);
        await caller.WaitForAsync("snapshot");
        await caller.SendJsonAsync(new { type = "position", lat = 52.0, lon = -1.0, accuracy = 5, time = NowMillis });
        await caller.SendJsonAsync(new { type = "position", lat = 52.001, lon = -1.0, accuracy = 5, time = NowMillis });
        await WaitUntilAsync(() => Relay.Services.GetRequiredService<ILocationDirectory>().GetTrail(id).Count == 2);

        await using TestSocket officer = await OfficerAsync(id);
        JsonElement snapshot = await officer.WaitForAsync("snapshot");

        Assert.Equal("live", snapshot.GetProperty("state").GetString());
        Assert.Equal("location", snapshot.GetProperty("mode").GetString());
        Assert.Equal(2, snapshot.GetProperty("trail").GetArrayLength());
        Assert.Equal(52.001, snapshot.GetProperty("trail")[1].GetProperty("lat").GetDouble());
    }

    [Fact]
    public async Task ChatGoesBothWays()
    {
        (string id, string token) = await CreateAsync();
        await using TestSocket officer = await OfficerAsync(id);
        await officer.WaitForAsync("snapshot");
        await using TestSocket caller = await CallerAsync(id, token);
        await caller.WaitForAsync("snapshot");

        await officer.SendJsonAsync(new { type = "chat", text = "Can you see the car?" });
        JsonElement toCaller = await caller.WaitForAsync("chat");
        await caller.SendJsonAsync(new { type = "chat", text = "Yes, the blue one" });
        JsonElement toOfficer = await officer.WaitForAsync("chat", m => m.GetProperty("from").GetString() == "caller");

        Assert.Equal("officer", toCaller.GetProperty("from").GetString());
        Assert.Equal("cad", toCaller.GetProperty("author").GetString());
        Assert.Equal("Can you see the car?", toCaller.GetProperty("text").GetString());
        Assert.Equal("Yes, the blue one", toOfficer.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, toOfficer.GetProperty("author").ValueKind);
    }

    [Fact]
    public async Task InvalidMessagesAreAnsweredCountedAndNotFatal()
    {
        (string id, string token) = await CreateAsync();
        LocationHub hub = Relay.Services.GetRequiredService<LocationHub>();
        await using TestSocket officer = await OfficerAsync(id);
        await officer.WaitForAsync("snapshot");
        await using TestSocket caller = await CallerAsync(id, token);
        await caller.WaitForAsync("snapshot");
        long before = hub.InvalidMessages;

        string[] hostile =
        [
            "not json",
            "{",
            "[]",
            "42",
            "{\"type\":7}",
            "{\"type\":\"keyframe\"}",
            "{\"type\":\"nonsense\"}",
            "{\"type\":\"position\",\"lat\":\"51\",\"lon\":0,\"accuracy\":5,\"time\":1}",
            "{\"type\":\"position\",\"lat\":91,\"lon\":0,\"accuracy\":5,\"time\":" + NowMillis + "}",
            "{\"type\":\"position\",\"lat\":51,\"lon\":0,\"accuracy\":-1,\"time\":" + NowMillis + "}",
            "{\"type\":\"position\",\"lat\":51,\"lon\":0,\"accuracy\":5,\"time\":" + (NowMillis + 3_600_000) + "}",
            "{\"type\":\"chat\",\"text\":\"\"}",
            "{\"type\":\"chat\",\"text\":{\"a\":1}}",
            "{\"type\":\"chat\",\"text\":\"" + new string('x', 1001) + "\"}",
            "{\"a\":" + new string('[', 100) + new string(']', 100) + "}",
        ];
        foreach (string message in hostile)
        {
            await caller.SendAsync(message);
            JsonElement error = await caller.WaitForAsync("error");
            Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()), message);
        }

        await caller.SendAsync(new byte[20_000], WebSocketMessageType.Text);
        Assert.Contains("too large", (await caller.WaitForAsync("error")).GetProperty("error").GetString(), StringComparison.Ordinal);
        await caller.SendAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Contains("binary", (await caller.WaitForAsync("error")).GetProperty("error").GetString(), StringComparison.Ordinal);

        // Still serving: a good position after all that goes through.
        await caller.SendJsonAsync(new { type = "position", lat = 53.0, lon = -2.0, accuracy = 5, time = NowMillis });
        Assert.Equal(53.0, (await officer.WaitForAsync("position")).GetProperty("lat").GetDouble());
        Assert.True(hub.InvalidMessages - before >= hostile.Length + 2);
    }

    [Fact]
    public async Task TooManyPositionsAreRefusedWithoutClosing()
    {
        (string id, string token) = await CreateAsync();
        await using TestSocket caller = await CallerAsync(id, token);
        await caller.WaitForAsync("snapshot");

        for (int i = 0; i < LocationHub.MaxPositionsPerSecond + 5; i++)
        {
            await caller.SendJsonAsync(new { type = "position", lat = 52.0, lon = -1.0, accuracy = 5, time = NowMillis });
        }

        Assert.Contains("too many", (await caller.WaitForAsync("error")).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, caller.State);
    }

    [Fact]
    public async Task AnOfficerAskingForAKeyframeWithoutVideoIsToldSo()
    {
        (string id, _) = await CreateAsync("video");
        await using TestSocket officer = await OfficerAsync(id);
        await officer.WaitForAsync("snapshot");

        await officer.SendJsonAsync(new { type = "keyframe" });

        Assert.Contains("no live video", (await officer.WaitForAsync("error")).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndingTheSessionTellsEverySocketAndClosesIt()
    {
        (string id, string token) = await CreateAsync();
        await using TestSocket officer = await OfficerAsync(id);
        await officer.WaitForAsync("snapshot");
        await using TestSocket caller = await CallerAsync(id, token);
        await caller.WaitForAsync("snapshot");

        using HttpClient client = Relay.CreateClient(TestRelay.OfficerKey);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);

        Assert.Equal("ended", (await officer.WaitForAsync("state", m => m.GetProperty("state").GetString() == "ended")).GetProperty("state").GetString());
        await officer.WaitForCloseAsync();
        await caller.WaitForAsync("state", m => m.GetProperty("state").GetString() == "ended");
        await caller.WaitForCloseAsync();
    }

    [Fact]
    public async Task OfficerSocketNeedsAnOfficerKey()
    {
        (string id, _) = await CreateAsync();

        HttpResponseMessage none = await Relay.Http.GetAsync(new Uri($"/ws/sessions/{id}", UriKind.Relative));
        using HttpClient publisher = Relay.CreateClient(TestRelay.PublisherKey);
        HttpResponseMessage wrongRole = await publisher.GetAsync(new Uri($"/ws/sessions/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
        await Assert.ThrowsAsync<WebSocketException>(() => TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/sessions/{id}", "not-a-key"));
    }

    [Fact]
    public async Task CallerSocketRefusesAWrongCredentialAndAnotherSessionsToken()
    {
        (string id, _) = await CreateAsync();
        (_, string otherToken) = await CreateAsync();

        await Assert.ThrowsAsync<WebSocketException>(() => CallerAsync(id, "guess"));
        await Assert.ThrowsAsync<WebSocketException>(() => CallerAsync(id, otherToken));
        await Assert.ThrowsAsync<WebSocketException>(() => CallerAsync("nosuchsession", otherToken));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
