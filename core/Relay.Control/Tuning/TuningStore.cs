using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Sessions;

namespace Relay.Control.Tuning;

/// <summary>
/// The settings changed in operation, kept in the relay's SQLite database (<see cref="TuningSchema"/>)
/// so they outlive a restart. Each change is audited (<see cref="AuditAction"/>, subject
/// <c>tuning:{key}</c>, with the old and new value and the engineer's reason) in the same
/// transaction: a setting never changes without its record. The database needs the audit module too.
/// </summary>
/// <remarks>
/// The store does not judge values: the host checks a proposed value against the options
/// validators of the setting before calling <see cref="ChangeAsync"/>, because only it knows them.
/// </remarks>
public sealed class TuningStore
{
    /// <summary>The audit action of a changed setting.</summary>
    public const string AuditAction = AuditActions.TuningChange;

    public const int MaxKeyLength = 256;
    public const int MaxValueLength = 4096;
    public const int MaxReasonLength = AuditInput.MaxReasonLength;

    private readonly RelayDatabase _database;
    private readonly TimeProvider _time;

    public TuningStore(RelayDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>The audit subject of a setting's changes.</summary>
    public static string AuditSubject(string key) => "tuning:" + key;

    /// <summary>Every stored override, by key.</summary>
    public async Task<IReadOnlyList<TuningOverride>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT key, value, changed_at, changed_by FROM tuning_overrides ORDER BY key;";
        var overrides = new List<TuningOverride>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            overrides.Add(new TuningOverride(reader.GetString(0), reader.GetString(1), UnixMicroseconds.ToTime(reader.GetInt64(2)), reader.GetString(3)));
        }

        return overrides;
    }

    /// <summary>
    /// Stores (or, for a null <see cref="TuningChange.Value"/>, removes) the override and appends its
    /// audit entry, together. Throws <see cref="ArgumentException"/> for an empty reason or actor.
    /// </summary>
    public async Task ChangeAsync(TuningChange change, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        AuditInput.CheckActor(actor);

        if (ReasonProblem(reason) is { } problem)
        {
            throw new ArgumentException(problem, nameof(reason));
        }

        reason = reason.Trim();
        if (string.IsNullOrEmpty(change.Key) || change.Key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A setting's key is 1 to {MaxKeyLength} characters.", nameof(change));
        }

        if (change.Value is { Length: > MaxValueLength })
        {
            throw new ArgumentException($"A setting's value is at most {MaxValueLength} characters.", nameof(change));
        }

        DateTimeOffset now = _time.GetUtcNow();
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using (SqliteCommand write = connection.CreateCommand())
        {
            write.Transaction = transaction;
            if (change.Value is null)
            {
                write.CommandText = "DELETE FROM tuning_overrides WHERE key = $key;";
            }
            else
            {
                write.CommandText =
                    "INSERT INTO tuning_overrides (key, value, changed_at, changed_by) VALUES ($key, $value, $at, $by) " +
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by;";
                write.Parameters.AddWithValue("$value", change.Value);
                write.Parameters.AddWithValue("$at", UnixMicroseconds.From(now));
                write.Parameters.AddWithValue("$by", actor);
            }

            write.Parameters.AddWithValue("$key", change.Key);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["setting"] = change.Key,
            ["from"] = change.Before,
            ["to"] = change.After,
            ["change"] = change.Value is null ? "reset" : "set",
        };
        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditAction, actor, AuditSubject(change.Key), reason, null, details), now, cancellationToken).ConfigureAwait(false);
        transaction.Commit();
    }

    /// <summary>What is wrong with <paramref name="reason"/>, in words for the engineer; null when it will do.</summary>
    public static string? ReasonProblem(string? reason) => AuditInput.ReasonProblem(reason, "with the old and new value, who changed it and when");
}
