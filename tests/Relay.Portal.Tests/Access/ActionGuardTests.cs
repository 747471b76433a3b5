using System.Security.Claims;
using Relay.Control.Users;
using Relay.Portal.Access;

namespace Relay.Portal.Tests.Access;

public sealed class ActionGuardTests
{
    [Fact]
    public async Task AnEnabledUserWhoStillHasTheRoleMayAct()
    {
        var guard = new ActionGuard(new Users(User("pc1", ["officer"])));
        Assert.Null(await guard.RefuseAsync(SignedIn("pc1", "officer"), PortalRoles.Sessions));
    }

    [Fact]
    public async Task AUserWhoseRoleWasTakenAwaySinceThePageOpenedIsRefused()
    {
        var guard = new ActionGuard(new Users(User("pc1", ["evidence-manager"])));
        string? refusal = await guard.RefuseAsync(SignedIn("pc1", "officer"), PortalRoles.Sessions);
        Assert.Contains("no longer allow", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisabledUserIsRefused()
    {
        var guard = new ActionGuard(new Users(User("pc1", ["officer"]) with { Disabled = true }));
        Assert.NotNull(await guard.RefuseAsync(SignedIn("pc1", "officer"), PortalRoles.Sessions));
    }

    [Fact]
    public async Task AUserWhosePasswordWasResetSinceThePageOpenedIsRefusedUntilTheyChooseANewOne()
    {
        var guard = new ActionGuard(new Users(User("pc1", ["officer"]) with { MustChangePassword = true }));
        string? refusal = await guard.RefuseAsync(SignedIn("pc1", "officer"), PortalRoles.Sessions);
        Assert.Contains("password was reset", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserWhoNoLongerExistsIsRefused()
    {
        var guard = new ActionGuard(new Users());
        Assert.NotNull(await guard.RefuseAsync(SignedIn("pc1", "officer"), PortalRoles.Sessions));
    }

    [Fact]
    public async Task SomeoneNotSignedInIsRefused()
    {
        var guard = new ActionGuard(new Users(User("pc1", ["officer"])));
        Assert.NotNull(await guard.RefuseAsync(new ClaimsPrincipal(new ClaimsIdentity()), PortalRoles.Sessions));
    }

    private static RelayUser User(string name, string[] roles) => new(name, name, roles, false, null, DateTimeOffset.UnixEpoch, "stamp");

    private static ClaimsPrincipal SignedIn(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test", ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>A user directory that only finds the users it was given.</summary>
    private sealed class Users(params RelayUser[] users) : IUserDirectory
    {
        public Task<RelayUser?> FindAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult(users.FirstOrDefault(user => user.Name == name));

        public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<RelayUser>> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RelayUser> CreateAsync(string name, string displayName, IReadOnlyList<string> roles, string password, string actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RelayUser> SetRolesAsync(string name, IReadOnlyList<string> roles, string actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RelayUser> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RelayUser> SetPasswordAsync(string name, string password, string actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> ResetPasswordAsync(string name, string actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RelayUser> ChangePasswordAsync(string name, string currentPassword, string newPassword, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
