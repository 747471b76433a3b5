using Relay.Plugins.Abstractions;

namespace Relay.Plugins.Tests.Fixture;

/// <summary>A plugin whose constructor throws.</summary>
public sealed class ThrowingConstructorPlugin : IRelayPlugin
{
    public ThrowingConstructorPlugin() => throw new InvalidOperationException("fixture constructor refuses to start");

    public PluginDescription Description => throw new NotSupportedException();
}
