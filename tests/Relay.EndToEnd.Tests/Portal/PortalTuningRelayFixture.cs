using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// A relay of its own for the Tuning page, as <see cref="PortalRelayFixture"/> but deployed with one
/// tunable setting in an environment variable (<see cref="EnvironmentKey"/>), which must win over the
/// page; and an officer created through the Users page.
/// </summary>
public sealed class PortalTuningRelayFixture : IAsyncLifetime
{
    public const string EnvironmentKey = "Relay:Media:PublisherGracePeriod";
    public const string EnvironmentValue = "00:00:20";

    private readonly Lock _gate = new();
    private RelayServer? _server;
    private Task? _users;

    public RelayServer Server => _server ?? throw new InvalidOperationException("The relay has not started.");

    public async Task InitializeAsync() => _server = await RelayServer.StartAsync(
        "portal-tuning",
        new Dictionary<string, string> { [EnvironmentKey.Replace(":", "__", StringComparison.Ordinal)] = EnvironmentValue },
        "--RELAY_ADMIN_USER=" + PortalRelayFixture.Admin,
        "--RELAY_ADMIN_PASSWORD=" + PortalRelayFixture.Password);

    /// <summary>Creates <see cref="PortalRelayFixture.Officer"/> as the administrator, once.</summary>
    public Task EnsureOfficerAsync(ChromiumFixture chromium)
    {
        lock (_gate)
        {
            return _users ??= CreateOfficerAsync(chromium);
        }
    }

    private async Task CreateOfficerAsync(ChromiumFixture chromium)
    {
        await using var portal = new PortalBrowser(chromium, Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Admin, PortalRelayFixture.Password);
        await PortalBrowser.OpenAsync(page, "/portal/users");
        await PortalBrowser.CreateUserAsync(page, PortalRelayFixture.Officer, "officer", PortalRelayFixture.Password);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
