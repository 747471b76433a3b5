using Relay.Control.Data;

namespace Relay.Control.Location;

/// <summary>
/// The "location" schema module: every validated fix of every session, kept durably as evidence
/// (the in-memory <see cref="LocationTrail"/> holds only the newest for the live map), and which
/// location-only sessions have had their trail kept as an evidence recording. Times are integer Unix
/// microseconds (UTC).
/// </summary>
public static class LocationSchema
{
    public const string Name = "location";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE location_fixes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            taken_at INTEGER NOT NULL,
            latitude REAL NOT NULL,
            longitude REAL NOT NULL,
            accuracy REAL NOT NULL,
            heading REAL,
            speed REAL
        ) STRICT;
        CREATE INDEX location_fixes_by_session ON location_fixes (session_id, received_at);
        CREATE TABLE location_trails_kept (
            session_id TEXT PRIMARY KEY NOT NULL,
            recording_id TEXT NOT NULL,
            kept_at INTEGER NOT NULL
        ) STRICT;
        """,
    ]);
}
