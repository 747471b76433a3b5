using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Evidence.Retention;
using Relay.Control.Sessions;

namespace Relay.Control.Evidence;

/// <summary>
/// The evidence catalogue in the relay's SQLite database (<see cref="EvidenceSchema"/>, beside the
/// sessions and audit modules). An item is made from its session's row on the session's first
/// recording, under the session's retention category (the default one if the session names a
/// category that no longer exists). Reviews, holds and disposals write their audit entry in the same
/// transaction as the change, so neither is ever kept without the other.
/// </summary>
/// <remarks>
/// On disposal the session row stays (it records that a link was sent, and by whom) but its caller
/// number is replaced by <see cref="RedactedPhone"/>: once the evidence is gone the relay keeps no
/// personal data about the caller. The audit log already holds only a masked number.
/// </remarks>
public sealed class SqliteEvidenceCatalogue : IEvidenceCatalogue, IEvidenceSearch, IEvidenceRetention
{
    /// <summary>What a disposed item's session keeps in place of the caller's number.</summary>
    public const string RedactedPhone = "redacted";

    private const string ItemColumns =
        "i.id, i.incident, i.phone, i.created_by, i.created_at, i.category, i.next_review_at, i.hold_by, i.hold_at, i.hold_reason, i.dispose_decided_at, i.dispose_reason";

    private const string RecordingColumns =
        "recording_id, node_id, started_at, ended_at, segments, bytes, chain_hash, manifest_sha256, gaps, recovered, store, stored_at";

    // Not held, every recording closed (nothing is still being written) and confirmed whole in the
    // evidence store (a closed recording still in the upload spool is never disposed of: its local copy
    // would go and the spool's upload land after the disposal), and either a review decided to dispose
    // or the category disposes at a review date that has come.
    private const string DueCondition =
        "i.hold_at IS NULL AND NOT EXISTS (SELECT 1 FROM evidence_recordings r WHERE r.item_id = i.id AND (r.ended_at IS NULL OR r.stored_at IS NULL)) " +
        "AND (i.dispose_decided_at IS NOT NULL OR (c.disposal = 'dispose' AND i.next_review_at <= $now))";

    private readonly RelayDatabase _database;
    private readonly ISessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly IEvidenceStoreHolds? _storeHolds;

    /// <param name="storeHolds">Carries holds to the evidence store; null when there is none.</param>
    public SqliteEvidenceCatalogue(RelayDatabase database, ISessionStore sessions, TimeProvider time, IEvidenceStoreHolds? storeHolds = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _sessions = sessions;
        _time = time;
        _storeHolds = storeHolds;
    }

    public async Task RecordingStartedAsync(RecordingStarted recording, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentException.ThrowIfNullOrWhiteSpace(recording.SessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(recording.NodeId);
        CallSession session = await _sessions.FindAsync(recording.SessionId, cancellationToken).ConfigureAwait(false)
            ?? throw new EvidenceCatalogueException(EvidenceCatalogueError.NotFound, $"There is no session '{EvidenceInput.Shorten(recording.SessionId)}' to record evidence for.");

        bool held;
        await using (SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            RetentionCategory category = await RetentionCategories.FindAsync(connection, transaction, session.Retention, cancellationToken).ConfigureAwait(false)
                ?? await RetentionCategories.FindDefaultAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("There is no default retention category; make one the default.");

            using (SqliteCommand item = Command(connection, transaction,
                "INSERT INTO evidence_items (id, incident, phone, created_by, created_at, category, next_review_at) " +
                "VALUES ($id, $incident, $phone, $by, $at, $category, $review) ON CONFLICT (id) DO NOTHING;"))
            {
                item.Parameters.AddWithValue("$id", session.Id);
                item.Parameters.AddWithValue("$incident", session.Incident);
                item.Parameters.AddWithValue("$phone", session.Phone);
                item.Parameters.AddWithValue("$by", session.CreatedBy);
                item.Parameters.AddWithValue("$at", UnixMicroseconds.From(recording.StartedAt));
                item.Parameters.AddWithValue("$category", category.Id);
                item.Parameters.AddWithValue("$review", UnixMicroseconds.From(category.ReviewPeriod.AddTo(recording.StartedAt)));
                await item.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (SqliteCommand insert = Command(connection, transaction,
                "INSERT INTO evidence_recordings (recording_id, item_id, node_id, started_at) VALUES ($recording, $item, $node, $at) ON CONFLICT (recording_id) DO NOTHING;"))
            {
                insert.Parameters.AddWithValue("$recording", RecordingKey(recording.RecordingId));
                insert.Parameters.AddWithValue("$item", session.Id);
                insert.Parameters.AddWithValue("$node", recording.NodeId);
                insert.Parameters.AddWithValue("$at", UnixMicroseconds.From(recording.StartedAt));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (SqliteCommand hold = Command(connection, transaction, "SELECT hold_at IS NOT NULL FROM evidence_items WHERE id = $id;"))
            {
                hold.Parameters.AddWithValue("$id", session.Id);
                held = Convert.ToInt64(await hold.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0;
            }

            transaction.Commit();
        }

        // A recording that starts while its item is held is held in the store from its first object.
        if (held && _storeHolds is not null)
        {
            await _storeHolds.SetLegalHoldAsync(recording.RecordingId, true, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RecordingClosedAsync(RecordingClosed recording, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recording);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, null,
            "UPDATE evidence_recordings SET ended_at = $ended, segments = $segments, bytes = $bytes, chain_hash = $chain, manifest_sha256 = $manifest, " +
            "gaps = $gaps, recovered = $recovered WHERE recording_id = $recording;");
        command.Parameters.AddWithValue("$recording", RecordingKey(recording.RecordingId));
        command.Parameters.AddWithValue("$ended", UnixMicroseconds.From(recording.EndedAt));
        command.Parameters.AddWithValue("$segments", recording.Segments);
        command.Parameters.AddWithValue("$bytes", recording.Bytes);
        command.Parameters.AddWithValue("$chain", recording.ChainHash ?? "");
        command.Parameters.AddWithValue("$manifest", recording.ManifestSha256 ?? "");
        command.Parameters.AddWithValue("$gaps", recording.Gaps);
        command.Parameters.AddWithValue("$recovered", recording.Recovered ? 1 : 0);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw NoRecording(recording.RecordingId);
        }
    }

    public async Task RecordingStoredAsync(Guid recordingId, string store, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, null, "UPDATE evidence_recordings SET store = $store, stored_at = $at WHERE recording_id = $recording;");
        command.Parameters.AddWithValue("$recording", RecordingKey(recordingId));
        command.Parameters.AddWithValue("$store", store);
        command.Parameters.AddWithValue("$at", UnixMicroseconds.From(at));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw NoRecording(recordingId);
        }
    }

    public async Task<EvidenceItem?> FindAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        if (itemId.Length is 0 or > EvidenceInput.MaxIdLength)
        {
            return null;
        }

        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, itemId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvidenceItem>> FindByPhoneAsync(string phone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phone);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, null, $"SELECT {ItemColumns} FROM evidence_items i WHERE i.phone = $phone ORDER BY i.created_at, i.id;");
        command.Parameters.AddWithValue("$phone", phone);
        return await ReadItemsAsync(connection, null, command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvidenceItem>> SearchAsync(EvidenceSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfLessThan(search.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(search.Limit, EvidenceSearch.MaxLimit);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {ItemColumns} FROM evidence_items i WHERE 1 = 1");
        AddCondition(command, sql, "i.incident = $incident", "$incident", search.Incident);
        AddCondition(command, sql, "i.phone = $phone", "$phone", search.Phone);
        AddCondition(command, sql, "i.created_by = $officer", "$officer", search.Officer);
        AddCondition(command, sql, "i.created_at >= $from", "$from", search.From is { } from ? UnixMicroseconds.From(from) : null);
        AddCondition(command, sql, "i.created_at < $to", "$to", search.To is { } to ? UnixMicroseconds.From(to) : null);
        sql.Append(" ORDER BY i.created_at DESC, i.id LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", search.Limit);
        command.CommandText = sql.ToString();
        return await ReadItemsAsync(connection, null, command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EvidenceReviewRecord>> ListReviewsAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, null,
            "SELECT item_id, at, actor, decision, reason, category, next_review_at FROM evidence_reviews WHERE item_id = $id ORDER BY id;");
        command.Parameters.AddWithValue("$id", itemId);
        var reviews = new List<EvidenceReviewRecord>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reviews.Add(new EvidenceReviewRecord(
                reader.GetString(0),
                UnixMicroseconds.ToTime(reader.GetInt64(1)),
                reader.GetString(2),
                ParseDecision(reader.GetString(3)),
                reader.GetString(4),
                reader.GetString(5),
                ReadTime(reader, 6)));
        }

        return reviews;
    }

    public async Task<EvidenceItem> ReviewAsync(EvidenceReview review, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        EvidenceInput.ItemId(review.ItemId);
        EvidenceInput.Actor(review.Actor);
        string reason = EvidenceInput.Reason(review.Reason);
        if (!Enum.IsDefined(review.Decision))
        {
            throw EvidenceInput.Invalid("decision", "The decision is \"retain\", \"dispose\" or \"recategorise\".");
        }

        if (review.Category is not null && review.Decision != EvidenceDecision.Recategorise)
        {
            throw EvidenceInput.Invalid("category", "A category is given only with the decision \"recategorise\".");
        }

        if (review.NextReviewAt is not null && review.Decision == EvidenceDecision.Dispose)
        {
            throw EvidenceInput.Invalid("nextReviewAt", "A dispose decision has no next review date.");
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (review.NextReviewAt is { } requested && (requested <= now || requested > now.AddYears(RetentionPeriod.MaxYears)))
        {
            throw EvidenceInput.Invalid("nextReviewAt", $"The next review date must be after now and within {RetentionPeriod.MaxYears} years.");
        }

        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        EvidenceItem item = await FindAsync(connection, transaction, review.ItemId, cancellationToken).ConfigureAwait(false) ?? throw NoItem(review.ItemId);
        RetentionCategory category = await RetentionCategories.FindAsync(connection, transaction, item.Category, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The item's category '{item.Category}' is missing.");
        DateTimeOffset? nextReview;
        switch (review.Decision)
        {
            case EvidenceDecision.Recategorise:
                if (!EvidenceInput.IsCategoryId(review.Category)
                    || await RetentionCategories.FindAsync(connection, transaction, review.Category, cancellationToken).ConfigureAwait(false) is not { } moved)
                {
                    throw EvidenceInput.Invalid("category", review.Category is null
                        ? "Give the category to move the item to."
                        : $"'{EvidenceInput.Shorten(review.Category)}' is not a retention category; GET /api/retention/categories lists them.");
                }

                if (moved.Id == item.Category)
                {
                    throw EvidenceInput.Invalid("category", $"The item is already in '{moved.Id}'; to keep it there, decide \"retain\".");
                }

                category = moved;
                nextReview = review.NextReviewAt ?? category.ReviewPeriod.AddTo(now);
                break;
            case EvidenceDecision.Dispose:
                if (item.LegalHold is { } hold)
                {
                    throw new EvidenceCatalogueException(
                        EvidenceCatalogueError.Conflict,
                        $"The item is under legal hold (placed by {hold.PlacedBy} at {hold.PlacedAt:O}); lift the hold before deciding to dispose of it.");
                }

                nextReview = null;
                break;
            default:
                nextReview = review.NextReviewAt ?? category.ReviewPeriod.AddTo(now);
                break;
        }

        string decision = DecisionText(review.Decision);
        using (SqliteCommand update = Command(connection, transaction,
            review.Decision == EvidenceDecision.Dispose
                ? "UPDATE evidence_items SET dispose_decided_at = $now, dispose_reason = $reason WHERE id = $id;"
                : "UPDATE evidence_items SET category = $category, next_review_at = $review, dispose_decided_at = NULL, dispose_reason = NULL WHERE id = $id;"))
        {
            update.Parameters.AddWithValue("$id", item.Id);
            update.Parameters.AddWithValue("$now", UnixMicroseconds.From(now));
            update.Parameters.AddWithValue("$reason", reason);
            update.Parameters.AddWithValue("$category", category.Id);
            update.Parameters.AddWithValue("$review", nextReview is { } next ? UnixMicroseconds.From(next) : 0L);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (SqliteCommand insert = Command(connection, transaction,
            "INSERT INTO evidence_reviews (item_id, at, actor, decision, reason, category, next_review_at) VALUES ($id, $now, $actor, $decision, $reason, $category, $review);"))
        {
            insert.Parameters.AddWithValue("$id", item.Id);
            insert.Parameters.AddWithValue("$now", UnixMicroseconds.From(now));
            insert.Parameters.AddWithValue("$actor", review.Actor);
            insert.Parameters.AddWithValue("$decision", decision);
            insert.Parameters.AddWithValue("$reason", reason);
            insert.Parameters.AddWithValue("$category", category.Id);
            insert.Parameters.AddWithValue("$review", nextReview is { } next ? UnixMicroseconds.From(next) : DBNull.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["decision"] = decision,
            ["category"] = category.Id,
            ["previousCategory"] = item.Category,
            ["previousNextReviewAt"] = Format(item.NextReviewAt),
            ["nextReviewAt"] = nextReview is { } at ? Format(at) : "none: disposal at the next run",
        };
        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditActions.Review, review.Actor, item.Id, reason, null, details), now, cancellationToken).ConfigureAwait(false);
        EvidenceItem after = (await FindAsync(connection, transaction, item.Id, cancellationToken).ConfigureAwait(false))!;
        transaction.Commit();
        return after;
    }

    public async Task<EvidenceItem> PlaceLegalHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        EvidenceInput.ItemId(itemId);
        EvidenceInput.Actor(actor);
        reason = EvidenceInput.Reason(reason);
        EvidenceItem item = await FindAsync(itemId, cancellationToken).ConfigureAwait(false) ?? throw NoItem(itemId);
        if (item.LegalHold is { } existing)
        {
            throw AlreadyHeld(existing);
        }

        // The store first: if the catalogue's write then fails, the recordings are held in the store
        // alone, which errs on the side of keeping evidence.
        if (_storeHolds is not null)
        {
            foreach (EvidenceRecording recording in item.Recordings)
            {
                await _storeHolds.SetLegalHoldAsync(recording.RecordingId, true, cancellationToken).ConfigureAwait(false);
            }
        }

        DateTimeOffset now = _time.GetUtcNow();
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using (SqliteCommand update = Command(connection, transaction,
            "UPDATE evidence_items SET hold_by = $actor, hold_at = $now, hold_reason = $reason WHERE id = $id AND hold_at IS NULL;"))
        {
            update.Parameters.AddWithValue("$id", itemId);
            update.Parameters.AddWithValue("$actor", actor);
            update.Parameters.AddWithValue("$now", UnixMicroseconds.From(now));
            update.Parameters.AddWithValue("$reason", reason);
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                EvidenceItem? raced = await FindAsync(connection, transaction, itemId, cancellationToken).ConfigureAwait(false);
                throw raced?.LegalHold is { } placed ? AlreadyHeld(placed) : NoItem(itemId);
            }
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["change"] = "legal-hold-placed",
            ["recordings"] = item.Recordings.Count.ToString(CultureInfo.InvariantCulture),
            ["store"] = _storeHolds is null ? "no evidence store: held in the catalogue" : "held in the evidence store too",
        };
        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditActions.Alteration, actor, itemId, reason, null, details), now, cancellationToken).ConfigureAwait(false);
        EvidenceItem after = (await FindAsync(connection, transaction, itemId, cancellationToken).ConfigureAwait(false))!;
        transaction.Commit();
        return after;
    }

    public async Task<EvidenceItem> LiftLegalHoldAsync(string itemId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        EvidenceInput.ItemId(itemId);
        EvidenceInput.Actor(actor);
        reason = EvidenceInput.Reason(reason);
        DateTimeOffset now = _time.GetUtcNow();
        EvidenceItem after;
        await using (SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            EvidenceItem item = await FindAsync(connection, transaction, itemId, cancellationToken).ConfigureAwait(false) ?? throw NoItem(itemId);
            if (item.LegalHold is not { } hold)
            {
                throw new EvidenceCatalogueException(EvidenceCatalogueError.Conflict, "The item is not under legal hold.");
            }

            using (SqliteCommand update = Command(connection, transaction, "UPDATE evidence_items SET hold_by = NULL, hold_at = NULL, hold_reason = NULL WHERE id = $id;"))
            {
                update.Parameters.AddWithValue("$id", itemId);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["change"] = "legal-hold-lifted",
                ["heldBy"] = hold.PlacedBy,
                ["heldSince"] = Format(hold.PlacedAt),
                ["holdReason"] = hold.Reason,
            };
            await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditActions.Alteration, actor, itemId, reason, null, details), now, cancellationToken).ConfigureAwait(false);
            after = (await FindAsync(connection, transaction, itemId, cancellationToken).ConfigureAwait(false))!;
            transaction.Commit();
        }

        // The catalogue first: a store that fails to lift keeps refusing deletion, which the disposal
        // run reports; lifting again is refused here, so the operator clears the store's hold there.
        if (_storeHolds is not null)
        {
            foreach (EvidenceRecording recording in after.Recordings)
            {
                await _storeHolds.SetLegalHoldAsync(recording.RecordingId, false, cancellationToken).ConfigureAwait(false);
            }
        }

        return after;
    }

    public async Task<IReadOnlyList<EvidenceDisposal>> FindDueForDisposalAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, null,
            $"SELECT {ItemColumns}, c.name FROM evidence_items i JOIN retention_categories c ON c.id = i.category WHERE {DueCondition} " +
            "ORDER BY coalesce(i.dispose_decided_at, i.next_review_at), i.id LIMIT $limit;");
        command.Parameters.AddWithValue("$now", UnixMicroseconds.From(now));
        command.Parameters.AddWithValue("$limit", limit);
        var due = new List<(EvidenceItem Item, DateTimeOffset? DecidedAt, string? DecisionReason, string CategoryName)>();
        await using (SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                due.Add((ReadItem(reader, []), ReadTime(reader, 10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetString(12)));
            }
        }

        var disposals = new List<EvidenceDisposal>(due.Count);
        foreach ((EvidenceItem item, DateTimeOffset? decidedAt, string? decisionReason, string categoryName) in due)
        {
            EvidenceItem full = item with { Recordings = await ReadRecordingsAsync(connection, null, item.Id, cancellationToken).ConfigureAwait(false) };
            disposals.Add(decidedAt is { } decided
                ? new EvidenceDisposal(full, "decision", $"A review on {Format(decided)} decided to dispose of it: {decisionReason}")
                : new EvidenceDisposal(
                    full,
                    "category",
                    $"Its retention category '{item.Category}' ({categoryName}) disposes at the review date, {Format(item.NextReviewAt)}; no review retained it and it is not under legal hold."));
        }

        return disposals;
    }

    public async Task<bool> CompleteDisposalAsync(EvidenceDisposal disposal, string actor, IReadOnlyDictionary<string, string> details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disposal);
        ArgumentNullException.ThrowIfNull(details);
        EvidenceInput.Actor(actor);
        DateTimeOffset now = _time.GetUtcNow();
        string id = disposal.Item.Id;
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);

        // Still due, inside the write lock: a hold placed or a review made since it was found wins.
        using (SqliteCommand check = Command(connection, transaction,
            $"SELECT 1 FROM evidence_items i JOIN retention_categories c ON c.id = i.category WHERE i.id = $id AND {DueCondition};"))
        {
            check.Parameters.AddWithValue("$id", id);
            check.Parameters.AddWithValue("$now", UnixMicroseconds.From(now));
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
        }

        using (SqliteCommand delete = Command(connection, transaction, "DELETE FROM evidence_items WHERE id = $id;"))
        {
            delete.Parameters.AddWithValue("$id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        bool redacted = await RedactSessionPhoneAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        long locationFixes = await DeleteLocationRowsAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        var entry = new Dictionary<string, string>(details, StringComparer.Ordinal)
        {
            ["basis"] = disposal.Basis,
            ["category"] = disposal.Item.Category,
            ["incident"] = disposal.Item.Incident,
            ["recordings"] = string.Join(",", disposal.Item.Recordings.Select(static r => r.RecordingId.ToString("D"))),
            ["catalogue"] = "item, recordings and review decisions deleted",
            ["callerNumber"] = redacted ? "redacted on the session" : "no session row",
            ["locationFixes"] = locationFixes.ToString(CultureInfo.InvariantCulture),
        };
        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditActions.Erasure, actor, id, disposal.Reason, null, entry), now, cancellationToken).ConfigureAwait(false);
        transaction.Commit();
        return true;
    }

    // The session's location trail (every fix kept as evidence) goes with the item; -1 when the
    // database has no location module (some tests).
    private static async Task<long> DeleteLocationRowsAsync(SqliteConnection connection, SqliteTransaction transaction, string sessionId, CancellationToken cancellationToken)
    {
        using (SqliteCommand exists = Command(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'location_fixes';"))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return -1;
            }
        }

        using (SqliteCommand kept = Command(connection, transaction, "DELETE FROM location_trails_kept WHERE session_id = $id;"))
        {
            kept.Parameters.AddWithValue("$id", sessionId);
            await kept.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using SqliteCommand fixes = Command(connection, transaction, "DELETE FROM location_fixes WHERE session_id = $id;");
        fixes.Parameters.AddWithValue("$id", sessionId);
        return await fixes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> RedactSessionPhoneAsync(SqliteConnection connection, SqliteTransaction transaction, string sessionId, CancellationToken cancellationToken)
    {
        // The sessions module lives in the same database (the relay migrates every module); a
        // catalogue on a database without it (some tests) has no session row to redact.
        using (SqliteCommand exists = Command(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions';"))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
        }

        using SqliteCommand redact = Command(connection, transaction, "UPDATE sessions SET phone = $redacted WHERE id = $id;");
        redact.Parameters.AddWithValue("$id", sessionId);
        redact.Parameters.AddWithValue("$redacted", RedactedPhone);
        return await redact.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async Task<EvidenceItem?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string itemId, CancellationToken cancellationToken)
    {
        using SqliteCommand command = Command(connection, transaction, $"SELECT {ItemColumns} FROM evidence_items i WHERE i.id = $id;");
        command.Parameters.AddWithValue("$id", itemId);
        IReadOnlyList<EvidenceItem> items = await ReadItemsAsync(connection, transaction, command, cancellationToken).ConfigureAwait(false);
        return items.Count == 0 ? null : items[0];
    }

    private static async Task<IReadOnlyList<EvidenceItem>> ReadItemsAsync(SqliteConnection connection, SqliteTransaction? transaction, SqliteCommand command, CancellationToken cancellationToken)
    {
        command.Transaction = transaction;
        var items = new List<EvidenceItem>();
        await using (SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ReadItem(reader, []));
            }
        }

        for (int i = 0; i < items.Count; i++)
        {
            items[i] = items[i] with { Recordings = await ReadRecordingsAsync(connection, transaction, items[i].Id, cancellationToken).ConfigureAwait(false) };
        }

        return items;
    }

    private static async Task<IReadOnlyList<EvidenceRecording>> ReadRecordingsAsync(SqliteConnection connection, SqliteTransaction? transaction, string itemId, CancellationToken cancellationToken)
    {
        using SqliteCommand command = Command(connection, transaction, $"SELECT {RecordingColumns} FROM evidence_recordings WHERE item_id = $id ORDER BY started_at, recording_id;");
        command.Parameters.AddWithValue("$id", itemId);
        var recordings = new List<EvidenceRecording>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var recordingId = Guid.Parse(reader.GetString(0));
            RecordingClosed? closed = reader.IsDBNull(3)
                ? null
                : new RecordingClosed(
                    recordingId,
                    UnixMicroseconds.ToTime(reader.GetInt64(3)),
                    (int)reader.GetInt64(4),
                    reader.GetInt64(5),
                    reader.GetString(6),
                    reader.GetString(7),
                    (int)reader.GetInt64(8),
                    reader.GetInt64(9) != 0);
            recordings.Add(new EvidenceRecording(
                recordingId,
                reader.GetString(1),
                UnixMicroseconds.ToTime(reader.GetInt64(2)),
                closed,
                reader.IsDBNull(10) ? null : reader.GetString(10),
                ReadTime(reader, 11)));
        }

        return recordings;
    }

    private static EvidenceItem ReadItem(SqliteDataReader reader, IReadOnlyList<EvidenceRecording> recordings) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        UnixMicroseconds.ToTime(reader.GetInt64(4)),
        reader.GetString(5),
        UnixMicroseconds.ToTime(reader.GetInt64(6)),
        reader.IsDBNull(8) ? null : new LegalHold(reader.GetString(7), UnixMicroseconds.ToTime(reader.GetInt64(8)), reader.GetString(9)),
        recordings);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddCondition(SqliteCommand command, StringBuilder sql, string condition, string parameter, object? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(condition);
            command.Parameters.AddWithValue(parameter, value);
        }
    }

    private static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UnixMicroseconds.ToTime(reader.GetInt64(ordinal));

    private static string RecordingKey(Guid recordingId) => recordingId.ToString("D");

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string DecisionText(EvidenceDecision decision) => decision switch
    {
        EvidenceDecision.Dispose => "dispose",
        EvidenceDecision.Recategorise => "recategorise",
        _ => "retain",
    };

    private static EvidenceDecision ParseDecision(string text) => text switch
    {
        "dispose" => EvidenceDecision.Dispose,
        "recategorise" => EvidenceDecision.Recategorise,
        _ => EvidenceDecision.Retain,
    };

    private static EvidenceCatalogueException NoItem(string itemId) =>
        new(EvidenceCatalogueError.NotFound, $"There is no evidence item '{EvidenceInput.Shorten(itemId)}' (never recorded, or disposed of).");

    private static EvidenceCatalogueException NoRecording(Guid recordingId) =>
        new(EvidenceCatalogueError.NotFound, $"The catalogue has no recording {recordingId:D}; RecordingStartedAsync must come first.");

    private static EvidenceCatalogueException AlreadyHeld(LegalHold hold) =>
        new(EvidenceCatalogueError.Conflict, $"The item is already under legal hold, placed by {hold.PlacedBy} at {Format(hold.PlacedAt)}.");
}
