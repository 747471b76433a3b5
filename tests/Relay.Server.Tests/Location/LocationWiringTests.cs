using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Relay.Server.Tests.Location;

/// <summary>What the location sockets feed elsewhere: the sessions API's lastLocation and the hub's counters in /metrics.</summary>
public sealed class LocationWiringTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    private TestRelay Relay => fixture.Relay;

    private async Task<(string Id, string CallerKey)> StartAsync()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-8", phone = "+447700900123", mode = "location", retention = "mopi-group-3" });
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        HttpResponseMessage started = await Relay.Http.PostAsync(new Uri(body.GetProperty("link").GetString()! + "/start"), null);
        string key = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callerKey").GetString()!;
        return (body.GetProperty("id").GetString()!, key);
    }

    [Fact]
    public async Task TheSessionShowsTheCallersLastLocationOnceAPositionArrives()
    {
        (string id, string key) = await StartAsync();
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        JsonElement before = await officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("lastLocation").ValueKind);

        await using TestSocket caller = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/caller/{id}", key);
        await caller.WaitForAsync("snapshot");
        await using TestSocket watcher = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/sessions/{id}", TestRelay.OfficerKey);
        await watcher.WaitForAsync("snapshot");
        await caller.SendJsonAsync(new { type = "position", lat = 51.50735, lon = -0.12776, accuracy = 8, heading = 45, speed = 1.2, time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        await watcher.WaitForAsync("position");

        JsonElement one = (await officer.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("lastLocation");
        Assert.Equal(51.50735, one.GetProperty("lat").GetDouble());
        Assert.Equal(-0.12776, one.GetProperty("lon").GetDouble());
        Assert.Equal(8, one.GetProperty("accuracy").GetDouble());
        Assert.Equal(45, one.GetProperty("heading").GetDouble());
        Assert.Equal(1.2, one.GetProperty("speed").GetDouble());
        Assert.InRange(one.GetProperty("easting").GetDouble(), 530000, 531000);
        Assert.InRange(one.GetProperty("northing").GetDouble(), 180000, 181000);
        Assert.StartsWith("TQ 30", one.GetProperty("gridReference").GetString(), StringComparison.Ordinal);
        Assert.True(one.TryGetProperty("time", out _));

        JsonElement list = await officer.GetFromJsonAsync<JsonElement>("/api/sessions");
        JsonElement listed = list.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.Equal(51.50735, listed.GetProperty("lastLocation").GetProperty("lat").GetDouble());
    }

    [Fact]
    public async Task AnInvalidLocationMessageIsCountedInMetrics()
    {
        (string id, string key) = await StartAsync();
        double before = await InvalidMessagesAsync();

        await using TestSocket caller = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/caller/{id}", key);
        await caller.WaitForAsync("snapshot");
        await caller.SendAsync("not json");
        await caller.WaitForAsync("error");

        Assert.True(await InvalidMessagesAsync() >= before + 1);
        string text = await Relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("\nrelay_location_sockets_overflowed_total ", text, StringComparison.Ordinal);
        Assert.Contains("\nrelay_location_positions_total ", text, StringComparison.Ordinal);
    }

    private async Task<double> InvalidMessagesAsync()
    {
        string text = await Relay.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        const string Series = "relay_location_invalid_messages_total ";
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(Series, StringComparison.Ordinal))
            {
                return double.Parse(line[Series.Length..], CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"/metrics has no {Series.Trim()}:\n{text}");
        return 0;
    }
}
