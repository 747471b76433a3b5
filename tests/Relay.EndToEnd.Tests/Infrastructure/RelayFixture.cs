namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>One relay shared by the tests that need nothing special of it.</summary>
public sealed class RelayFixture : IAsyncLifetime
{
    private RelayServer? _server;

    public RelayServer Server => _server ?? throw new InvalidOperationException("The relay has not started.");

    public async Task InitializeAsync() => _server = await RelayServer.StartAsync("shared");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
