using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using Relay.Control.Location;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Journey;

/// <summary>
/// The whole journey as issue 4 asks for it: a session made through the API, its link opened on a
/// phone-sized Chromium with a fake camera and a moving position, Start, and officers' players
/// that see the video, the marker following the route with the right grid reference, chat both
/// ways, and the caller's Stop ending the media for every viewer within 2 s.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CallerJourneyTests(ChromiumFixture chromium, RelayFixture relay)
{
    // Along Whitehall to Trafalgar Square.
    private static readonly (double Lat, double Lon)[] s_route =
    [
        (51.50350, -0.12700),
        (51.50450, -0.12690),
        (51.50560, -0.12720),
        (51.50735, -0.12776),
    ];

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ACallerSharesVideoAndARouteThatTwoOfficersFollowAndTheCallersStopEndsItForBoth()
    {
        RelayServer server = relay.Server;
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(s_route[0].Lat, s_route[0].Lon, ["camera", "geolocation"]);
        await phone.AddInitScriptAsync(JourneyPages.CountCameraRequests);
        IPage caller = await phone.NewPageAsync();
        JourneyPages.Watch(caller);

        await caller.GotoAsync(link);
        Assert.True(await caller.IsVisibleAsync("#consent"), "The consent comes first.");
        Assert.Equal(0, await caller.EvaluateAsync<int>("() => window.relayCameraRequests"));
        await caller.ClickAsync("#start");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.connected === true", "the caller's video to connect");
        Assert.Equal(1, await caller.EvaluateAsync<int>("() => window.relayCameraRequests"));

        IPage[] players = [await journey.OpenPlayerAsync(server, id), await journey.OpenPlayerAsync(server, id)];
        foreach (IPage player in players)
        {
            await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'live'", "the player to show the caller live");
            await JourneyPages.WaitForFramesAsync(player, 15, "the caller's video decoded");
        }

        foreach ((double lat, double lon) in s_route)
        {
            await phone.SetGeolocationAsync(new Geolocation { Latitude = (float)lat, Longitude = (float)lon, Accuracy = 8 });
            foreach (IPage player in players)
            {
                await JourneyPages.UntilAsync(player, $"Math.abs(window.relayPlayer.markerLatLng().lat - {JourneyPages.Js(lat)}) < 1e-5 && Math.abs(window.relayPlayer.markerLatLng().lng - {JourneyPages.Js(lon)}) < 1e-5", $"the marker at {lat}, {lon}");
            }
        }

        Assert.StartsWith("Sharing now", await caller.InnerTextAsync("#status"), StringComparison.Ordinal);
        (double endLat, double endLon) = s_route[^1];
        string expected = GridReference.Format(Wgs84ToBritishNationalGrid.Convert((float)endLat, (float)endLon))!;
        foreach (IPage player in players)
        {
            Assert.Equal(expected, await player.InnerTextAsync("#gridref"));
            Assert.Equal("± 8 m", await player.InnerTextAsync("#accuracy"));
        }

        await players[0].FillAsync("#chat-text", "Can you point the camera at the door?");
        await players[0].ClickAsync("#chat-form button");
        await JourneyPages.UntilAsync(caller, "document.getElementById('messages').innerText.includes('Can you point the camera at the door?')", "the officer's message on the phone");
        await caller.FillAsync("#reply-text", "Yes, doing it now");
        await caller.ClickAsync("#reply button");
        foreach (IPage player in players)
        {
            await JourneyPages.UntilAsync(player, "document.getElementById('messages').innerText.includes('Yes, doing it now')", "the caller's reply in every player");
        }

        await JourneyPages.ScreenshotAsync(caller, "journey-caller-live");
        await JourneyPages.ScreenshotAsync(players[1], "journey-player-caller");

        var clock = Stopwatch.StartNew();
        await caller.ClickAsync("#stop");
        foreach (IPage player in players)
        {
            TimeSpan left = TimeSpan.FromSeconds(2) - clock.Elapsed;
            Assert.True(left > TimeSpan.Zero, $"2 s passed before every player showed the end ({clock.ElapsedMilliseconds} ms).");
            await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'ended' && window.relayPlayer.pc === null", "the player to end the media after the caller's Stop", left);
        }

        await JourneyPages.UntilAsync(caller, "window.relayCaller.phase === 'finished'", "the caller to see that sharing stopped");
        Assert.Equal(0, await caller.EvaluateAsync<int>("() => window.relayCaller.media.getTracks().filter(t => t.readyState === 'live').length"));
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task WhenThePhonesNetworkPathDiesThePagePublishesAgainByItselfOnTheSameStreamAndTheOfficerKeepsWatching()
    {
        // The relay announces 127.0.0.2 (a proxy standing in for the network) so the phone's path can be cut.
        await using RelayServer server = await RelayServer.StartAsync("network-change", "--Relay:Media:PublicAddresses:0=127.0.0.2");
        await using var network = UdpPathProxy.Start(new IPEndPoint(IPAddress.Parse("127.0.0.2"), server.MediaPort), new IPEndPoint(IPAddress.Loopback, server.MediaPort));
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.5, -0.12, ["camera", "geolocation"]);
        IPage caller = await JourneyPages.StartSharingAsync(phone, link);

        // The phone's own addresses: its connection's local candidates (the player's are others).
        string[] local = await caller.EvaluateAsync<string[]>("async () => { const out = []; (await window.relayCaller.pc.getStats()).forEach(r => { const a = r.address || r.ip; if (r.type === 'local-candidate' && a && r.port) out.push((a.includes(':') ? '[' + a + ']' : a) + ':' + r.port); }); return out; }");
        IPEndPoint[] phonePaths = [.. local.Select(IPEndPoint.Parse)];
        Assert.NotEmpty(phonePaths);
        IPage player = await journey.OpenPlayerAsync(server, id);
        await JourneyPages.WaitForFramesAsync(player, 15, "the caller's video decoded");

        // Wi-Fi to mobile data: the phone's old address stops working both ways. Nothing in the test tells the page.
        network.Break(phonePaths);
        await JourneyPages.UntilAsync(caller, "document.getElementById('status').textContent.startsWith('Connection lost')", "the caller to be told it is reconnecting");
        await JourneyPages.UntilAsync(caller, "window.relayCaller.publishes === 2 && window.relayCaller.connected === true", "the page to publish again by itself", TimeSpan.FromSeconds(30));
        Assert.StartsWith("Reconnected", await caller.InnerTextAsync("#status"), StringComparison.Ordinal);
        int before = await JourneyPages.FramesDecodedAsync(player);

        await JourneyPages.WaitForFramesAsync(player, before + 30, "the officer's video to go on from the new path");
        Assert.Equal(1, await player.EvaluateAsync<int>("() => window.relayPlayer.whepAttempts"));
        Assert.Equal("live", await player.EvaluateAsync<string>("() => window.relayPlayer.state"));
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ALocationOnlyCallerIsNeverAskedForTheCamera()
    {
        RelayServer server = relay.Server;
        (string id, string link) = await JourneyPages.CreateLinkAsync(server, "location");
        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(52.62, 1.29, ["geolocation"]);
        await phone.AddInitScriptAsync(JourneyPages.CountCameraRequests);
        IPage caller = await phone.NewPageAsync();
        JourneyPages.Watch(caller);
        IPage player = await journey.OpenPlayerAsync(server, id);

        await caller.GotoAsync(link);
        await caller.ClickAsync("#language");
        Assert.Equal("cy", await caller.GetAttributeAsync("html", "lang"));
        Assert.Equal("Dechrau rhannu", await caller.InnerTextAsync("#start"));
        await caller.ClickAsync("#language");
        await caller.ClickAsync("#start");

        await JourneyPages.UntilAsync(player, "window.relayPlayer.state === 'live' && window.relayPlayer.mode === 'location' && window.relayPlayer.lastPosition !== null", "the location-only caller on the map");
        string expected = GridReference.Format(Wgs84ToBritishNationalGrid.Convert((float)52.62, (float)1.29))!;
        Assert.Equal(expected, await player.InnerTextAsync("#gridref"));
        Assert.Equal(0, await caller.EvaluateAsync<int>("() => window.relayCameraRequests"));
        Assert.True(await caller.IsHiddenAsync("#preview"));
        Assert.DoesNotContain("camera", await caller.InnerTextAsync("#sharing"), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Test)]
    public async Task ASpentOrGuessedLinkGetsAClearPageAndNoMedia()
    {
        RelayServer server = relay.Server;
        (_, string link) = await JourneyPages.CreateLinkAsync(server, "video");
        using (HttpResponseMessage started = await server.Http.PostAsync(new Uri(link + "/start"), null))
        {
            Assert.True(started.IsSuccessStatusCode);
        }

        await using var journey = new JourneyPages(chromium);
        IBrowserContext phone = await journey.NewPhoneAsync(51.5, -0.1, ["camera", "geolocation"]);
        await phone.AddInitScriptAsync(JourneyPages.CountCameraRequests);
        IPage page = await phone.NewPageAsync();

        IResponse? spent = await page.GotoAsync(link);
        Assert.Equal((int)HttpStatusCode.Gone, spent!.Status);
        Assert.Contains("already been used", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.relayCameraRequests"));

        IResponse? guessed = await page.GotoAsync(new Uri(server.BaseAddress, "/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").ToString());
        Assert.Equal((int)HttpStatusCode.NotFound, guessed!.Status);
        Assert.Contains("not recognised", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.relayCameraRequests"));
    }
}
