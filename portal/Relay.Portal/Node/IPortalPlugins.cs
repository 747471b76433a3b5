namespace Relay.Portal.Node;

/// <summary>What an engineer can do to the plugins in use from the Plugins page: check one's health now, and send a test SMS.</summary>
public interface IPortalPlugins
{
    /// <summary>What can be done to the plugin named <paramref name="plugin"/>: only plugins in use can be checked, only the SMS provider in use can send.</summary>
    PluginAbilities AbilitiesOf(string plugin);

    /// <summary>Runs the plugin's own health check now (for an SMS provider: reachable and credentials accepted, nothing sent). Audited with <paramref name="actor"/>.</summary>
    Task<PluginCheck> CheckHealthAsync(string plugin, string actor, CancellationToken cancellationToken = default);

    /// <summary>Sends a short test message to <paramref name="phone"/> through the SMS provider in use. Audited with <paramref name="actor"/> and the number masked.</summary>
    Task<PluginCheck> TestSendAsync(string plugin, string phone, string actor, CancellationToken cancellationToken = default);
}

/// <param name="CanCheckHealth">The plugin is in use (the SMS provider, the evidence store), so it has settings to check.</param>
/// <param name="CanTestSend">The plugin is the SMS provider in use.</param>
public sealed record PluginAbilities(bool CanCheckHealth, bool CanTestSend)
{
    public static PluginAbilities None { get; } = new(false, false);
}

/// <summary>The outcome of a check or a test send, in words an engineer can act on.</summary>
public sealed record PluginCheck(bool Succeeded, string Message);
