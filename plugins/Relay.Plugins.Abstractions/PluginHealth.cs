namespace Relay.Plugins.Abstractions;

/// <summary>A plugin's own view of whether it can do its job now, with a reason a person can act on.</summary>
public sealed record PluginHealth(bool Healthy, string Detail)
{
    public static PluginHealth Ok(string detail) => new(true, detail);

    public static PluginHealth Failing(string detail) => new(false, detail);
}
