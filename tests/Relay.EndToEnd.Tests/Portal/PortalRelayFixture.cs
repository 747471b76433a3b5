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

    private readonly SemaphoreSlim _usersLock = new(1, 1);
    private RelayServer? _server;
    private bool _usersCreated;

    public RelayServer Server => _server ?? throw new InvalidOperationException("The relay has not started.");

    public async Task InitializeAsync() => _server = await RelayServer.StartAsync(
        "portal",
        "--RELAY_ADMIN_USER=" + Admin,
        "--RELAY_ADMIN_PASSWORD=" + Password);

    /// <summary>Creates <see cref="Officer"/>, <see cref="EvidenceManager"/> and <see cref="Engineer"/> as the administrator, once.</summary>
    public async Task EnsureUsersAsync(ChromiumFixture chromium)
    {
        await _usersLock.WaitAsync();
        try
        {
            if (_usersCreated)
            {
                return;
            }

            await using var portal = new PortalBrowser(chromium, Server);
            IPage page = await portal.SignInAsync(Admin, Password);
            await PortalBrowser.OpenAsync(page, "/portal/users");
            foreach ((string name, string role) in (ReadOnlySpan<(string, string)>)[(Officer, "officer"), (EvidenceManager, "evidence-manager"), (Engineer, "engineer")])
            {
                await PortalBrowser.CreateUserAsync(page, name, role, Password);
            }

            _usersCreated = true;
        }
        finally
        {
            _usersLock.Release();
        }
    }

    public async Task DisposeAsync()
    {
        _usersLock.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
