using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Relay.Control.Location;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Journey;

/// <summary>
/// The officers' side of the journey with a plain WHIP publisher and a caller socket: two players
/// decode the video, follow the route on the map with the right grid reference, chat both ways,
/// and see the end of the session within 2 s.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class PlayerJourneyTests(ChromiumFixture chromium, RelayFixture relay)
{
    // A short walk along Whitehall towards Trafalgar Square.
    private static readonly (double Lat, double Lon)[] s_route =
    [
        (51.50350, -0.12700),
        (51.50420, -0.12690),
        (51.50500, -0.12700),
        (51.50735, -0.12776),
    ];

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task APlayerThatIsReloadedOrClosedGivesItsViewerBackAtOnce()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);
        await using var journey = new JourneyPages(chromium);
        await pages.PublishAsync(server, session, "vp8");
        IPage player = await journey.OpenPlayerAsync(server, session.Id);
        await JourneyPages.WaitForFramesAsync(player, 10, "decoded video");
        await server.WaitForViewersAsync(session.Id, 1);

        // Before, the page's viewer stayed on the relay until ICE consent ran out (30 s), so a reload (or
        // the portal re-rendering its embedded player) counted, and was sent, two.
        await player.ReloadAsync();
        await JourneyPages.WaitForFramesAsync(player, 10, "decoded video after the reload");
        await server.WaitForViewersAsync(session.Id, 1);

        await player.CloseAsync();
        await server.WaitForViewersAsync(session.Id, 0);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task TwoOfficersSeeVideoTheRouteTheGridReferenceAndChatAndTheEnd()
    {
        RelayServer server = relay.Server;
        RelaySession session = await server.CreateSessionAsync();
        await using var pages = new TestPages(chromium);
        await using var journey = new JourneyPages(chromium);
        await pages.PublishAsync(server, session, "vp8");
        using var caller = new ClientWebSocket();
        caller.Options.SetRequestHeader("Authorization", "Bearer " + session.CallerKey);
        await caller.ConnectAsync(new Uri(server.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws/caller/" + session.Id), CancellationToken.None);

        IPage[] players = [await journey.OpenPlayerAsync(server, session.Id), await journey.OpenPlayerAsync(server, session.Id)];
        foreach (IPage player in players)
        {
            await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'live'", "the player to show the session live");
            await JourneyPages.WaitForFramesAsync(player, 15, "decoded video");
        }

        foreach ((double lat, double lon) in s_route)
        {
            await SendAsync(caller, new { type = "position", lat, lon, accuracy = 6, heading = 350, speed = 1.4, time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            foreach (IPage player in players)
            {
                await JourneyPages.UntilAsync(player, $"window.relayPlayer.markerLatLng().lat === {JourneyPages.Js(lat)} && window.relayPlayer.markerLatLng().lng === {JourneyPages.Js(lon)}", $"the marker at {lat}, {lon}");
            }

            await Task.Delay(250);
        }

        (double endLat, double endLon) = s_route[^1];
        string expected = GridReference.Format(Wgs84ToBritishNationalGrid.Convert(endLat, endLon))!;
        foreach (IPage player in players)
        {
            Assert.Equal(expected, await player.InnerTextAsync("#gridref"));
            Assert.Equal(s_route.Length, await player.EvaluateAsync<int>("() => window.relayPlayer.trail.length"));
        }

        await players[0].FillAsync("#chat-text", "Which door are you at?");
        await players[0].ClickAsync("#chat-form button");
        JsonElement toCaller = await ReceiveAsync(caller, "chat");
        Assert.Equal("Which door are you at?", toCaller.GetProperty("text").GetString());
        await SendAsync(caller, new { type = "chat", text = "The red one" });
        foreach (IPage player in players)
        {
            await JourneyPages.UntilAsync(player, "document.getElementById('messages').innerText.includes('The red one')", "the caller's reply in the player");
        }

        await JourneyPages.ScreenshotAsync(players[0], "journey-player");
        JsonElement snapshot = await JourneyPages.EvaluateAsync<JsonElement>(players[1], "await window.relayPlayer.snapshot()");
        Assert.Equal(64, snapshot.GetProperty("sha256").GetString()!.Length);
        Assert.True(snapshot.GetProperty("bytes").GetInt32() > 1000, "A still frame of the test pattern is more than a kilobyte.");

        // The end: every player shows it and closes its video within 2 s.
        using var end = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{session.Id}");
        end.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        DateTime ending = DateTime.UtcNow;
        (await server.Http.SendAsync(end)).EnsureSuccessStatusCode();
        foreach (IPage player in players)
        {
            await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'ended' && window.relayPlayer.pc === null", "the player to show the end", TimeSpan.FromSeconds(2) - (DateTime.UtcNow - ending));
        }
    }

    private static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, string type)
    {
        using var timeout = new CancellationTokenSource(JourneyPages.Wait);
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            JsonElement json = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
            if (json.GetProperty("type").GetString() == type)
            {
                return json;
            }
        }
    }
}
