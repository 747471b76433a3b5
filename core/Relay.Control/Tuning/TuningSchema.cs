using Relay.Control.Data;

namespace Relay.Control.Tuning;

/// <summary>
/// The "tuning" schema module: the settings an engineer changed in operation, one row per
/// configuration key, layered over the node's configuration files. Times are Unix microseconds (UTC).
/// </summary>
public static class TuningSchema
{
    public const string Name = "tuning";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE tuning_overrides (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL,
            changed_at INTEGER NOT NULL,
            changed_by TEXT NOT NULL
        ) STRICT;
        """,
    ]);
}
