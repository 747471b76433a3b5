using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Testing.Time;

namespace Relay.Server.Tests.Location;

/// <summary>
/// A session's state reaches its sockets when it changes, not when a poll comes round: the relay's
/// clock here is a <see cref="ManualTimeProvider"/> that moves only when the test says, so no timer
/// (the watcher's safety net included) fires unless a change or its grace period is due.
/// </summary>
public sealed class SessionStatePushTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    public async Task InitializeAsync() => _relay = await TestRelay.StartWithAsync(
        services => services.AddSingleton<TimeProvider>(_time),
        null,
        ["--Relay:Media:PublisherGracePeriod=00:00:02"]);

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task ACallerLeavingIsPushedAsReconnecting_AndTheEndOfItsGracePeriodAsGone()
    {
        (string id, string key) = await CreateAsync();
        await using TestSocket officer = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/sessions/{id}", TestRelay.OfficerKey);
        Assert.Equal("waiting", (await officer.WaitForAsync("snapshot")).GetProperty("state").GetString());

        TestSocket caller = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/caller/{id}", key);
        await caller.WaitForAsync("snapshot");
        await officer.WaitForAsync("state", m => m.GetProperty("state").GetString() == "live");
        await caller.DisposeAsync();
        await officer.WaitForAsync("state", m => m.GetProperty("state").GetString() == "reconnecting");

        // The clock has not moved; now the grace period passes, and nothing more than that happens.
        _time.Advance(TimeSpan.FromSeconds(2));
        await officer.WaitForAsync("state", m => m.GetProperty("state").GetString() == "gone");
    }

    [Fact]
    public async Task EndingASessionIsPushedToEverySocketAtOnce()
    {
        (string id, string key) = await CreateAsync();
        await using TestSocket officer = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/sessions/{id}", TestRelay.OfficerKey);
        await officer.WaitForAsync("snapshot");
        await using TestSocket caller = await TestSocket.ConnectAsync(Relay.BaseAddress, $"/ws/caller/{id}", key);
        await caller.WaitForAsync("snapshot");

        using HttpClient client = Relay.CreateClient(TestRelay.OfficerKey);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);

        await officer.WaitForAsync("state", m => m.GetProperty("state").GetString() == "ended");
        await caller.WaitForAsync("state", m => m.GetProperty("state").GetString() == "ended");
        await officer.WaitForCloseAsync();
        await caller.WaitForCloseAsync();
    }

    private async Task<(string Id, string CallerKey)> CreateAsync()
    {
        using HttpClient officer = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await officer.PostAsJsonAsync("/api/sessions", new { incident = "INC-8", phone = "+447700900123", mode = "location", retention = "mopi-group-3" });
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string link = body.GetProperty("link").GetString()!;
        HttpResponseMessage started = await Relay.Http.PostAsync(new Uri(link + "/start"), null);
        Assert.True(started.IsSuccessStatusCode, $"POST /c/{{token}}/start answered {(int)started.StatusCode}");
        return (body.GetProperty("id").GetString()!, (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callerKey").GetString()!);
    }
}
