using Relay.Control.Data;

namespace Relay.Control.Sessions;

/// <summary>
/// The "sessions" schema module. Times are integer Unix microseconds (UTC), so windows and expiry
/// compare as numbers; secrets are kept only as SHA-256 hashes.
/// </summary>
public static class SessionSchema
{
    public const string Name = "sessions";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            incident TEXT NOT NULL,
            phone TEXT NOT NULL,
            country_code TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('video', 'location')),
            audio INTEGER NOT NULL CHECK (audio IN (0, 1)),
            retention TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('waiting', 'live', 'ended')),
            started_at INTEGER,
            ended_at INTEGER,
            ended_by TEXT,
            token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
            token_expires_at INTEGER NOT NULL,
            token_spent_at INTEGER,
            caller_key_hash BLOB CHECK (caller_key_hash IS NULL OR length(caller_key_hash) = 32),
            sms_state TEXT NOT NULL,
            sms_message_id TEXT,
            sms_error TEXT,
            sms_sent_at INTEGER
        ) STRICT;
        CREATE INDEX sessions_by_created_at ON sessions (created_at);
        CREATE INDEX sessions_open ON sessions (state) WHERE state <> 'ended';
        CREATE INDEX sessions_sms_by_officer ON sessions (created_by, sms_sent_at) WHERE sms_sent_at IS NOT NULL;
        CREATE INDEX sessions_sms_by_phone ON sessions (phone, sms_sent_at) WHERE sms_sent_at IS NOT NULL;
        CREATE INDEX sessions_sms_by_country ON sessions (country_code, sms_sent_at) WHERE sms_sent_at IS NOT NULL;
        """,
        // Version 2: whether created_by names a user or an API key (their names can collide). Sessions from
        // before cannot be told apart, so they are 'unknown' and nobody counts as their creator: failing closed.
        """
        ALTER TABLE sessions ADD COLUMN created_by_kind TEXT NOT NULL DEFAULT 'unknown' CHECK (created_by_kind IN ('user', 'api-key', 'unknown'));
        """,
    ]);
}
