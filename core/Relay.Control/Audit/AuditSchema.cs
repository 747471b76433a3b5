using Relay.Control.Data;

namespace Relay.Control.Audit;

/// <summary>The "audit" schema module: the audit_log table and the triggers that keep it append-only.</summary>
public static class AuditSchema
{
    /// <summary>The hash before the first row: 32 zero bytes, hex.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static SchemaModule Module { get; } = new("audit",
    [
        // AUTOINCREMENT keeps the highest sequence ever used in sqlite_sequence, which lets
        // verification notice rows cut from the end of the chain.
        """
        CREATE TABLE audit_log (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT,
            reason TEXT,
            recipient TEXT,
            details TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_log_by_action ON audit_log (action, sequence);
        CREATE INDEX audit_log_by_actor ON audit_log (actor, sequence);
        CREATE INDEX audit_log_by_subject ON audit_log (subject, sequence);
        CREATE INDEX audit_log_by_time ON audit_log (time);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: its rows cannot be changed.'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: its rows cannot be deleted.'); END;
        CREATE TRIGGER audit_log_append_at_end BEFORE INSERT ON audit_log
        WHEN NEW.sequence IS NOT COALESCE((SELECT MAX(sequence) FROM audit_log), 0) + 1
          OR NEW.previous_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY sequence DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000')
        BEGIN SELECT RAISE(ABORT, 'The audit log only grows at its end: a row must follow the last one and carry its hash.'); END;
        """,
    ]);
}
