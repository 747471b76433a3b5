namespace Relay.Server.Tests;

/// <summary>One relay shared by a test class whose tests do not disturb each other.</summary>
public sealed class RelayFixture : IAsyncLifetime
{
    private TestRelay? _relay;

    internal TestRelay Relay => _relay ?? throw new InvalidOperationException("The relay has not started.");

    public async Task InitializeAsync() => _relay = await TestRelay.StartAsync();

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }
}
