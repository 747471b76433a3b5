namespace Relay.Portal.Node;

/// <summary>
/// The plugins' configuration as the Plugins page shows and changes it. Secret settings are write-only:
/// <see cref="PluginSettingValue.Value"/> is always null for them, so no page or API built on this can show one.
/// </summary>
public interface IPortalPluginSettings
{
    /// <summary>Every loaded plugin's settings, with their values (secrets: only whether they are set).</summary>
    Task<IReadOnlyList<PluginConfiguration>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks the value with the plugin, stores it, audits it (a secret as "changed" only) and applies it. Never throws for a bad value.</summary>
    Task<PluginSettingOutcome> ChangeAsync(string plugin, string key, string? value, string? reason, string actor, CancellationToken cancellationToken = default);
}

/// <param name="Plugin">The plugin's name.</param>
/// <param name="Editable">Whether its settings can be changed here.</param>
/// <param name="Applies">When a change takes effect, or why it cannot be changed here.</param>
public sealed record PluginConfiguration(string Plugin, bool Editable, string Applies, IReadOnlyList<PluginSettingValue> Settings);

/// <summary>One setting of a plugin as it is now.</summary>
/// <param name="IsSet">Whether it has a value.</param>
/// <param name="Value">The value; always null for a secret setting.</param>
/// <param name="ChangedHere">Whether the value was changed on the Plugins page (it then wins over the configuration files).</param>
public sealed record PluginSettingValue(
    string Key,
    string Description,
    bool Required,
    bool Secret,
    bool IsSet,
    string? Value,
    bool ChangedHere,
    string? ChangedBy,
    DateTimeOffset? ChangedAt);

public enum PluginSettingResult
{
    Changed,
    UnknownPlugin,
    UnknownSetting,
    NotEditable,
    Invalid,
}

/// <param name="Field">"value" or "reason": which the message is about, for an invalid change.</param>
public sealed record PluginSettingOutcome(PluginSettingResult Result, string Message, string? Field, PluginSettingValue? Setting);
