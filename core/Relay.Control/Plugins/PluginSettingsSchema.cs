using Relay.Control.Data;

namespace Relay.Control.Plugins;

/// <summary>
/// The "plugin-settings" schema module: plugin settings an engineer changed on the Plugins page, one row
/// per plugin and key, layered over the node's configuration. Times are Unix microseconds (UTC).
/// </summary>
/// <remarks>
/// Secret values are kept here because the plugin needs them to run (as they would be in appsettings or
/// the environment); the file is the relay's database, readable only by the relay's account. They never
/// leave it through the page, an API, a log or the audit log.
/// </remarks>
public static class PluginSettingsSchema
{
    public const string Name = "plugin-settings";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE plugin_settings (
            plugin TEXT NOT NULL COLLATE NOCASE,
            key TEXT NOT NULL COLLATE NOCASE,
            value TEXT NOT NULL,
            changed_at INTEGER NOT NULL,
            changed_by TEXT NOT NULL,
            PRIMARY KEY (plugin, key)
        ) STRICT;
        """,
    ]);
}
