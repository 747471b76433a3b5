namespace Relay.Plugins.Abstractions;

/// <summary>
/// What every plugin assembly exposes: one public class with a parameterless constructor that
/// implements this (and the capability interface, such as <see cref="Sms.ISmsPlugin"/>).
/// </summary>
public interface IRelayPlugin
{
    PluginDescription Description { get; }
}
