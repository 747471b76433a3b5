using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// A relay of its own for the portal tests, with a first administrator (supervisor and engineer)
/// from the same configuration keys the README gives, and, created once through the portal's
/// Users page, a user of each other role.
/// </summary>
public sealed class PortalRelayFixture : IAsyncLifetime
{
    public const string Password = "portal end to end passphrase";

    public const string Admin = "admin";
    public const string Officer = "officer1";
    public const string EvidenceManager = "evidence1";
    public const string Engineer = "engineer1";

    private readonly Lock _gate = new();
    private RelayServer? _server;
    private Task? _users;

    public RelayServer Server => _server ?? throw new InvalidOperationException("The relay has not started.");

    public async Task InitializeAsync() => _server = await RelayServer.StartAsync(
        "portal",
        "--RELAY_ADMIN_USER=" + Admin,
        "--RELAY_ADMIN_PASSWORD=" + Password);

    /// <summary>Creates <see cref="Officer"/>, <see cref="EvidenceManager"/> and <see cref="Engineer"/> as the administrator, once.</summary>
    public Task EnsureUsersAsync(ChromiumFixture chromium)
    {
        lock (_gate)
        {
            return _users ??= CreateUsersAsync(chromium);
        }
    }

    private async Task CreateUsersAsync(ChromiumFixture chromium)
    {
        await using var portal = new PortalBrowser(chromium, Server);
        IPage page = await portal.SignInAsync(Admin, Password);
        await PortalBrowser.OpenAsync(page, "/portal/users");
        (string Name, string Role)[] users = [(Officer, "officer"), (EvidenceManager, "evidence-manager"), (Engineer, "engineer")];
        foreach ((string name, string role) in users)
        {
            await PortalBrowser.CreateUserAsync(page, name, role, Password);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
