using Relay.Control.Data;

namespace Relay.Control.Chat;

/// <summary>
/// The "chat" schema module: every message between a caller and the officers, kept durably as part
/// of the session's evidence (exported with it, erased with it). Times are integer Unix microseconds (UTC).
/// </summary>
public static class ChatSchema
{
    public const string Name = "chat";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE chat_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            author TEXT,
            text TEXT NOT NULL,
            received_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX chat_messages_by_session ON chat_messages (session_id, seq);
        """,
    ]);
}
