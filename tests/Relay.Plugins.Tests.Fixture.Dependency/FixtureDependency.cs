namespace Relay.Plugins.Tests.Fixture.Dependency;

/// <summary>Something the fixture plugin needs from its own folder.</summary>
public static class FixtureDependency
{
    public static string Summary(string what) => "Fixture plugin: " + what;
}
