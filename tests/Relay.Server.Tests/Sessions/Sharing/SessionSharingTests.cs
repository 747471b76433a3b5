using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Audit;
using Relay.Control.Users;

namespace Relay.Server.Tests.Sessions.Sharing;

/// <summary>
/// An officer person reaches only the sessions they created or that are shared with them, at every
/// entry point (session list and read, end, player, WHEP, the location and chat socket, snapshots);
/// supervisors and API keys reach all. Sharing is audited.
/// </summary>
public sealed class SessionSharingTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        IUserDirectory users = Relay.Services.GetRequiredService<IUserDirectory>();
        await users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "test");
        await users.CreateAsync("pc2", "PC 2", [UserRoles.Officer], Password, "test");
        await users.CreateAsync("sgt1", "Sgt 1", [UserRoles.Supervisor], Password, "test");
        await users.CreateAsync("eng1", "Eng 1", [UserRoles.Engineer], Password, "test");
    }

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnOfficerTheSessionIsNotSharedWithIsRefusedAtEveryEntryPoint_WhileTheKeyAndASupervisorAreNot()
    {
        string id = await CreateWithKeyAsync();
        using Person pc2 = await Person.SignInAsync(Relay, "pc2");
        using Person sgt1 = await Person.SignInAsync(Relay, "sgt1");
        using HttpClient key = Relay.CreateClient(TestRelay.OfficerKey);

        Assert.DoesNotContain(id, await ListAsync(pc2.Client));
        await ProblemAssert.IsProblemAsync(await pc2.Client.GetAsync(new Uri($"/api/sessions/{id}", UriKind.Relative)), HttpStatusCode.Forbidden, "not shared with you");
        await ProblemAssert.IsProblemAsync(await pc2.Client.GetAsync(new Uri($"/player/{id}", UriKind.Relative)), HttpStatusCode.Forbidden, "not shared with you");
        await ProblemAssert.IsProblemAsync(await pc2.Client.PostAsync(new Uri($"/whep/{id}", UriKind.Relative), Offer()), HttpStatusCode.Forbidden, "not shared with you");
        await ProblemAssert.IsProblemAsync(await pc2.Client.PostAsync(new Uri($"/api/sessions/{id}/snapshots", UriKind.Relative), Jpeg()), HttpStatusCode.Forbidden, "not shared with you");
        await ProblemAssert.IsProblemAsync(await pc2.Client.GetAsync(new Uri($"/api/sessions/{id}/shares", UriKind.Relative)), HttpStatusCode.Forbidden, "not shared with you");
        await ProblemAssert.IsProblemAsync(await pc2.Client.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative)), HttpStatusCode.Forbidden, "not shared with you");
        Assert.Equal(HttpStatusCode.Forbidden, await SocketStatusAsync(pc2, id));

        Assert.Contains(id, await ListAsync(key));
        Assert.Contains(id, await ListAsync(sgt1.Client));
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sgt1.Client.GetAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sgt1.Client.GetAsync(new Uri($"/player/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await SocketStatusAsync(sgt1, id));
        // Past the gate, WHEP goes on to the stream, which has not started: the key still may watch.
        Assert.Equal(HttpStatusCode.Conflict, (await key.PostAsync(new Uri($"/whep/{id}", UriKind.Relative), Offer())).StatusCode);
    }

    [Fact]
    public async Task ASupervisorSharesTheSessionSoTheOfficerReachesIt_AndUnsharingTakesItAway_BothAudited()
    {
        string id = await CreateWithKeyAsync();
        using Person pc2 = await Person.SignInAsync(Relay, "pc2");
        using Person sgt1 = await Person.SignInAsync(Relay, "sgt1");

        HttpResponseMessage shared = await sgt1.Client.PostAsJsonAsync($"/api/sessions/{id}/shares", new { officer = "pc2", reason = "ARV 4 attending" });

        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        Assert.Contains(id, await ListAsync(pc2.Client));
        Assert.Equal(HttpStatusCode.OK, (await pc2.Client.GetAsync(new Uri($"/api/sessions/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pc2.Client.GetAsync(new Uri($"/player/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await SocketStatusAsync(pc2, id));
        JsonElement share = Assert.Single((await pc2.Client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/shares")).EnumerateArray());
        Assert.Equal("pc2", share.GetProperty("officer").GetString());
        Assert.Equal("sgt1", share.GetProperty("sharedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, (await sgt1.Client.PostAsJsonAsync($"/api/sessions/{id}/shares", new { officer = "PC2", reason = "again" })).StatusCode);

        HttpResponseMessage unshared = await sgt1.Client.DeleteAsync(new Uri($"/api/sessions/{id}/shares/pc2?reason=ARV%204%20stood%20down", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, unshared.StatusCode);
        Assert.DoesNotContain(id, await ListAsync(pc2.Client));
        Assert.Equal(HttpStatusCode.Forbidden, (await pc2.Client.GetAsync(new Uri($"/player/{id}", UriKind.Relative))).StatusCode);
        IAuditLog audit = Relay.Services.GetRequiredService<IAuditLog>();
        IReadOnlyList<AuditRecord> rows = await audit.QueryAsync(new AuditQuery { Subject = id, Limit = 100 });
        AuditRecord sharedRow = Assert.Single(rows, r => r.Action == "session-shared");
        Assert.Equal(("sgt1", "ARV 4 attending", "pc2"), (sharedRow.Actor, sharedRow.Reason, sharedRow.Details["officer"]));
        AuditRecord unsharedRow = Assert.Single(rows, r => r.Action == "session-unshared");
        Assert.Equal(("sgt1", "ARV 4 stood down", "pc2"), (unsharedRow.Actor, unsharedRow.Reason, unsharedRow.Details["officer"]));
    }

    [Fact]
    public async Task TheCreatingOfficerMayShare_ButAnOfficerItIsSharedWithMayNotShareItOn()
    {
        using Person pc1 = await Person.SignInAsync(Relay, "pc1");
        using Person pc2 = await Person.SignInAsync(Relay, "pc2");
        HttpResponseMessage created = await pc1.Client.PostAsJsonAsync("/api/sessions", new { incident = "INC-7", phone = "+447700900123", mode = "video" });
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Contains(id, await ListAsync(pc1.Client));
        Assert.DoesNotContain(id, await ListAsync(pc2.Client));

        Assert.Equal(HttpStatusCode.Created, (await pc1.Client.PostAsJsonAsync($"/api/sessions/{id}/shares", new { officer = "pc2", reason = "backup" })).StatusCode);

        await ProblemAssert.IsProblemAsync(
            await pc2.Client.DeleteAsync(new Uri($"/api/sessions/{id}/shares/pc2?reason=mine", UriKind.Relative)),
            HttpStatusCode.Forbidden,
            "Only a supervisor, or whoever created the session");
    }

    [Theory]
    [InlineData("ghost", "reason", "no user 'ghost'")]
    [InlineData("eng1", "reason", "not an officer")]
    [InlineData("sgt1", "reason", "already sees every session")]
    [InlineData("pc2", "", "Say why")]
    public async Task ASharePeopleCannotUseIsRefusedWithTheReason(string officer, string reason, string expected)
    {
        string id = await CreateWithKeyAsync();
        using Person sgt1 = await Person.SignInAsync(Relay, "sgt1");

        HttpResponseMessage response = await sgt1.Client.PostAsJsonAsync($"/api/sessions/{id}/shares", new { officer, reason });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, expected);
    }

    private async Task<string> CreateWithKeyAsync()
    {
        using HttpClient key = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await key.PostAsJsonAsync("/api/sessions", new { incident = "INC-9", phone = "+447700900123", mode = "video" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> ListAsync(HttpClient client)
    {
        JsonElement list = await client.GetFromJsonAsync<JsonElement>("/api/sessions");
        return [.. list.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }

    private static StringContent Offer() => new("v=0\r\n", System.Text.Encoding.UTF8, "application/sdp");

    private static ByteArrayContent Jpeg()
    {
        var content = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0xFF, 0xD9]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    /// <summary>The status the relay answers a WebSocket upgrade to /ws/sessions/{id} with, as <paramref name="person"/>.</summary>
    private async Task<HttpStatusCode> SocketStatusAsync(Person person, string id)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = person.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri(Relay.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws/sessions/" + id);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }

    /// <summary>A person signed in with the cookie, as a browser would be.</summary>
    private sealed class Person : IDisposable
    {
        private readonly HttpClientHandler _handler;

        private Person(HttpClientHandler handler, HttpClient client)
        {
            _handler = handler;
            Client = client;
        }

        public HttpClient Client { get; }

        public CookieContainer Cookies => _handler.CookieContainer;

        public static async Task<Person> SignInAsync(TestRelay relay, string name)
        {
            var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
            var person = new Person(handler, new HttpClient(handler) { BaseAddress = relay.BaseAddress });
            HttpResponseMessage response = await person.Client.PostAsJsonAsync("/api/login", new { username = name, password = Password });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            return person;
        }

        public void Dispose()
        {
            Client.Dispose();
            _handler.Dispose();
        }
    }
}
