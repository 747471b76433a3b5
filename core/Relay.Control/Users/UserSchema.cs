using Relay.Control.Data;

namespace Relay.Control.Users;

/// <summary>The "users" schema module.</summary>
public static class UserSchema
{
    public static SchemaModule Module { get; } = new("users",
    [
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            display_name TEXT NOT NULL,
            roles TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            failed_sign_ins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            security_stamp TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        """,
        // A password set by an engineer's reset works only to choose a new one (see UserDirectory.ChangePasswordAsync).
        """
        ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
        """,
    ]);
}
