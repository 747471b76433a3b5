using Relay.Control.Data;

namespace Relay.Control.Evidence;

/// <summary>
/// The "evidence" schema module: retention categories (seeded with <see cref="Retention.RetentionDefaults"/>),
/// evidence items (one per session, id = session id), their recordings and review decisions. Times are
/// integer Unix microseconds (UTC). An item's recordings and reviews go with it when it is disposed of;
/// the audit log keeps the record of what was held and why it went.
/// </summary>
public static class EvidenceSchema
{
    public const string Name = "evidence";

    public static SchemaModule Module { get; } = new(Name, [
        """
        CREATE TABLE retention_categories (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            review_period TEXT NOT NULL,
            disposal TEXT NOT NULL CHECK (disposal IN ('review', 'dispose')),
            is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
            updated_at INTEGER,
            updated_by TEXT
        ) STRICT;
        CREATE UNIQUE INDEX retention_categories_one_default ON retention_categories (is_default) WHERE is_default = 1;
        INSERT INTO retention_categories (id, name, review_period, disposal, is_default) VALUES
            ('mopi-group-1', 'MoPI group 1: certain public protection matters', 'P10Y', 'review', 0),
            ('mopi-group-2', 'MoPI group 2: other sexual, violent or serious offences', 'P10Y', 'review', 0),
            ('mopi-group-3', 'MoPI group 3: all other offences', 'P6Y', 'dispose', 0),
            ('not-needed', 'Not needed as evidence', 'P31D', 'dispose', 1);

        CREATE TABLE evidence_items (
            id TEXT PRIMARY KEY NOT NULL,
            incident TEXT NOT NULL,
            phone TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            category TEXT NOT NULL REFERENCES retention_categories (id),
            next_review_at INTEGER NOT NULL,
            hold_by TEXT,
            hold_at INTEGER,
            hold_reason TEXT,
            dispose_decided_at INTEGER,
            dispose_reason TEXT
        ) STRICT;
        CREATE INDEX evidence_items_by_created ON evidence_items (created_at);
        CREATE INDEX evidence_items_by_incident ON evidence_items (incident, created_at);
        CREATE INDEX evidence_items_by_phone ON evidence_items (phone, created_at);
        CREATE INDEX evidence_items_by_officer ON evidence_items (created_by, created_at);
        CREATE INDEX evidence_items_by_review ON evidence_items (next_review_at) WHERE hold_at IS NULL;

        CREATE TABLE evidence_recordings (
            recording_id TEXT PRIMARY KEY NOT NULL,
            item_id TEXT NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
            node_id TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            segments INTEGER,
            bytes INTEGER,
            chain_hash TEXT,
            manifest_sha256 TEXT,
            gaps INTEGER,
            recovered INTEGER,
            store TEXT,
            stored_at INTEGER
        ) STRICT;
        CREATE INDEX evidence_recordings_by_item ON evidence_recordings (item_id, started_at);

        CREATE TABLE evidence_reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id TEXT NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('retain', 'dispose', 'recategorise')),
            reason TEXT NOT NULL,
            category TEXT NOT NULL,
            next_review_at INTEGER
        ) STRICT;
        CREATE INDEX evidence_reviews_by_item ON evidence_reviews (item_id, id);
        """,
    ]);
}
