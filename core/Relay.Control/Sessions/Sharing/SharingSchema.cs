using Relay.Control.Data;

namespace Relay.Control.Sessions.Sharing;

/// <summary>
/// The "session-shares" schema module: which officers each session is shared with. A row exists
/// while the share holds; unsharing deletes it (the audit log keeps the history).
/// </summary>
public static class SharingSchema
{
    public const string Name = "session-shares";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE session_shares (
            session_id TEXT NOT NULL,
            officer TEXT NOT NULL COLLATE NOCASE,
            shared_by TEXT NOT NULL,
            shared_at INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (session_id, officer)
        ) STRICT;
        CREATE INDEX session_shares_by_officer ON session_shares (officer, session_id);
        """,
    ]);
}
