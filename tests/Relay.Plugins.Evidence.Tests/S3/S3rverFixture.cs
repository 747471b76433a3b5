using Relay.Testing.Evidence;

namespace Relay.Plugins.Evidence.Tests.S3;

/// <summary>One s3rver per test class; each test uses its own key prefix, so tests never see each other's objects.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public S3rverServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3rverServer.StartNewAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
