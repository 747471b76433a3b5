using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Relay.Control.Users;
using Relay.Portal.Node;

namespace Relay.Server.Tests.Portal;

/// <summary>
/// The portal's Live and session pages apply the session access rule with the person's roles as the
/// user directory holds them now, not as their (possibly hours-old) page sign-in had them.
/// </summary>
public sealed class PortalSessionDetailTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private TestRelay? _relay;

    private TestRelay Relay => _relay!;

    private IPortalSessionDetail Detail => Relay.Services.GetRequiredService<IPortalSessionDetail>();

    private IUserDirectory Users => Relay.Services.GetRequiredService<IUserDirectory>();

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        await Users.CreateAsync("pc1", "PC 1", [UserRoles.Officer], Password, "test");
        await Users.CreateAsync("pc2", "PC 2", [UserRoles.Officer], Password, "test");
        await Users.CreateAsync("sgt1", "Sgt 1", [UserRoles.Supervisor], Password, "test");
    }

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnOfficerGetsOnlySharedSessions_AndLosesThemWhenTheirRoleIsTakenAway_EvenWithAnOldSignIn()
    {
        string shared = await CreateWithKeyAsync();
        string other = await CreateWithKeyAsync();
        ClaimsPrincipal pc2 = SignedIn("pc2", UserRoles.Officer);
        ClaimsPrincipal sgt1 = SignedIn("sgt1", UserRoles.Supervisor);

        ShareChange change = await Detail.ShareAsync(shared, "pc2", "ARV 4 attending", sgt1);

        Assert.True(change.Changed, change.Message);
        Assert.Equal([shared], (await Detail.ListLiveAsync(pc2)).Select(s => s.Id));
        Assert.Contains(other, (await Detail.ListLiveAsync(sgt1)).Select(s => s.Id));
        SessionDetail detail = (await Detail.FindAsync(shared, pc2)).Detail!;
        Assert.False(detail.MayShare);
        Assert.Equal("pc2", Assert.Single(detail.Shares).Officer);
        Assert.Contains(detail.Audit, a => a.Action == "session-shared" && a.Actor == "sgt1");
        Assert.Contains("not shared with you", (await Detail.FindAsync(other, pc2)).Refusal, StringComparison.Ordinal);

        await Users.SetRolesAsync("pc2", [UserRoles.Engineer], "test");

        Assert.Empty(await Detail.ListLiveAsync(pc2));
        Assert.Null((await Detail.FindAsync(shared, pc2)).Detail);
    }

    [Fact]
    public async Task AnOfficerCannotShareAnotherOfficersSessionFromThePortal_AndNothingIsShared()
    {
        string id = await CreateWithKeyAsync();
        ClaimsPrincipal pc1 = SignedIn("pc1", UserRoles.Officer);

        ShareChange change = await Detail.ShareAsync(id, "pc1", "let me in", pc1);

        Assert.False(change.Changed);
        Assert.Contains("not shared with you", change.Message, StringComparison.Ordinal);
        Assert.Empty(await Detail.ListLiveAsync(pc1));
        Assert.Equal(["pc1", "pc2"], (await Detail.ListOfficersAsync()).Select(o => o.Name).Order());
    }

    private static ClaimsPrincipal SignedIn(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "cookie", ClaimTypes.Name, ClaimTypes.Role));

    private async Task<string> CreateWithKeyAsync()
    {
        using HttpClient key = Relay.CreateClient(TestRelay.OfficerKey);
        HttpResponseMessage response = await key.PostAsJsonAsync("/api/sessions", new { incident = "INC-3", phone = "+447700900123", mode = "video" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
