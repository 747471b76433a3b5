using Microsoft.Playwright;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Portal;

/// <summary>
/// A relay for the disposal test: its evidence in a file-system store under <see cref="StoreRoot"/>, the disposal run
/// every minute (the shortest the relay accepts), and an evidence manager created through the Users page.
/// </summary>
public sealed class PortalDisposalRelayFixture : IAsyncLifetime
{
    public const string EvidenceManager = "evidence2";

    private RelayServer? _server;

    public string StoreRoot { get; } = Directory.CreateTempSubdirectory("relay-e2e-store-").FullName;

    /// <summary>When the relay was started: its disposal runs come a minute apart from about then.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public RelayServer Server => _server ?? throw new InvalidOperationException("The relay has not started.");

    public async Task InitializeAsync()
    {
        StartedAt = DateTimeOffset.UtcNow;
        _server = await RelayServer.StartAsync(
            "portal-disposal",
            "--RELAY_ADMIN_USER=" + PortalRelayFixture.Admin,
            "--RELAY_ADMIN_PASSWORD=" + PortalRelayFixture.Password,
            "--Relay:Evidence:Store:Plugin=filesystem",
            "--Relay:Evidence:Store:filesystem:Root=" + StoreRoot,
            "--Relay:Evidence:Disposal:Interval=00:01:00");
    }

    public async Task CreateEvidenceManagerAsync(ChromiumFixture chromium)
    {
        await using var portal = new PortalBrowser(chromium, Server);
        IPage page = await portal.SignInAsync(PortalRelayFixture.Admin, PortalRelayFixture.Password);
        await PortalBrowser.OpenAsync(page, "/portal/users");
        await PortalBrowser.CreateUserAsync(page, EvidenceManager, "evidence-manager", PortalRelayFixture.Password);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(StoreRoot, recursive: true);
    }
}
