namespace Relay.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Every end-to-end test shares one Chromium and one relay, and they run one after another: the
/// machine has two cores, and decoded frame rates measured side by side would measure each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<ChromiumFixture>, ICollectionFixture<RelayFixture>, ICollectionFixture<WebKit.WebKitFixture>
{
    public const string Name = "End to end";
}
