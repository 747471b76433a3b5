using System.Globalization;
using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Sessions;

namespace Relay.Control.Evidence.Retention;

/// <summary>
/// Retention categories in the relay's SQLite database (<see cref="EvidenceSchema"/>). Changes are
/// audited as alterations (subject <c>retention-category:{id}</c>) in the same transaction; the
/// database needs the audit module too.
/// </summary>
public sealed class RetentionCategories : IRetentionCategories
{
    private const string Columns = "id, name, review_period, disposal, is_default";

    private readonly RelayDatabase _database;
    private readonly TimeProvider _time;

    public RetentionCategories(RelayDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>The audit subject of a category's changes.</summary>
    public static string AuditSubject(string id) => "retention-category:" + id;

    public async Task<IReadOnlyList<RetentionCategory>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM retention_categories ORDER BY id;";
        var categories = new List<RetentionCategory>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            categories.Add(Read(reader));
        }

        return categories;
    }

    public async Task<RetentionCategory?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RetentionCategory> PutAsync(RetentionCategory category, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(category);
        EvidenceInput.Actor(actor);
        reason = EvidenceInput.Reason(reason);
        if (!EvidenceInput.IsCategoryId(category.Id))
        {
            throw EvidenceInput.Invalid("id", "A category id is 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        if (string.IsNullOrWhiteSpace(category.Name) || category.Name.Length > EvidenceInput.MaxCategoryNameLength || !EvidenceInput.IsPrintable(category.Name))
        {
            throw EvidenceInput.Invalid("name", $"A category's name is 1 to {EvidenceInput.MaxCategoryNameLength} printable characters, without line breaks.");
        }

        if (category.ReviewPeriod.Count == 0)
        {
            throw EvidenceInput.Invalid("reviewPeriod", "Give the review period as P{n}Y, P{n}M or P{n}D (e.g. P6Y), at most 100 years.");
        }

        if (!Enum.IsDefined(category.Disposal))
        {
            throw EvidenceInput.Invalid("disposal", "The disposal rule is \"review\" or \"dispose\".");
        }

        category = category with { Name = category.Name.Trim() };
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        RetentionCategory? before = await FindAsync(connection, transaction, category.Id, cancellationToken).ConfigureAwait(false);
        if (before is { IsDefault: true } && !category.IsDefault)
        {
            throw new EvidenceCatalogueException(
                EvidenceCatalogueError.Conflict,
                $"'{category.Id}' is the default category, which sessions get when they name none. Make another category the default instead.")
            { Field = "default" };
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (category.IsDefault)
        {
            using SqliteCommand clear = connection.CreateCommand();
            clear.Transaction = transaction;
            clear.CommandText = "UPDATE retention_categories SET is_default = 0 WHERE is_default = 1 AND id <> $id;";
            clear.Parameters.AddWithValue("$id", category.Id);
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (SqliteCommand upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText =
                $"INSERT INTO retention_categories ({Columns}, updated_at, updated_by) VALUES ($id, $name, $period, $disposal, $default, $at, $by) " +
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, review_period = excluded.review_period, disposal = excluded.disposal, " +
                "is_default = excluded.is_default, updated_at = excluded.updated_at, updated_by = excluded.updated_by;";
            upsert.Parameters.AddWithValue("$id", category.Id);
            upsert.Parameters.AddWithValue("$name", category.Name);
            upsert.Parameters.AddWithValue("$period", category.ReviewPeriod.ToString());
            upsert.Parameters.AddWithValue("$disposal", DisposalText(category.Disposal));
            upsert.Parameters.AddWithValue("$default", category.IsDefault ? 1 : 0);
            upsert.Parameters.AddWithValue("$at", UnixMicroseconds.From(now));
            upsert.Parameters.AddWithValue("$by", actor);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["change"] = before is null ? "retention-category-created" : "retention-category-changed",
            ["name"] = category.Name,
            ["reviewPeriod"] = category.ReviewPeriod.ToString(),
            ["disposal"] = DisposalText(category.Disposal),
            ["default"] = category.IsDefault ? "true" : "false",
        };
        if (before is not null)
        {
            details["previous"] = string.Create(
                CultureInfo.InvariantCulture,
                $"{before.Name}; {before.ReviewPeriod}; {DisposalText(before.Disposal)}; default {(before.IsDefault ? "true" : "false")}");
        }

        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditActions.Alteration, actor, AuditSubject(category.Id), reason, null, details), now, cancellationToken).ConfigureAwait(false);
        transaction.Commit();
        return category;
    }

    internal static async Task<RetentionCategory?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM retention_categories WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    internal static async Task<RetentionCategory?> FindDefaultAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM retention_categories WHERE is_default = 1;";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public static string DisposalText(RetentionDisposal disposal) => disposal == RetentionDisposal.Dispose ? "dispose" : "review";

    private static RetentionCategory Read(SqliteDataReader reader)
    {
        // A period the database holds was checked when it was written; an edited-by-hand bad one reads as the shortest safe value: review, never dispose early.
        bool periodOk = RetentionPeriod.TryParse(reader.GetString(2), out RetentionPeriod period);
        return new RetentionCategory(
            reader.GetString(0),
            reader.GetString(1),
            periodOk ? period : RetentionPeriod.Years(1),
            periodOk && reader.GetString(3) == "dispose" ? RetentionDisposal.Dispose : RetentionDisposal.Review,
            reader.GetInt64(4) != 0);
    }
}
