using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Relay.Control.Data;

namespace Relay.Control.Audit;

/// <summary>
/// The audit log in the relay's SQLite database (<see cref="AuditSchema"/>). An append reads the
/// last row's hash and inserts the next row inside one IMMEDIATE transaction, which takes SQLite's
/// write lock before the read: two appenders, in this process or another on the same file, can
/// never both chain onto the same row. The in-process gate only saves them waiting on the file lock.
/// </summary>
public sealed class AuditLog : IAuditLog, IDisposable
{
    private const string Columns = "sequence, time, actor, action, subject, reason, recipient, details, previous_hash, hash";
    private const int MaxFieldLength = 4096;

    private readonly RelayDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _appendGate = new(1, 1);

    public AuditLog(RelayDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        Validate(entry);
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            AuditRecord record = await AppendAsync(connection, transaction, entry, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return record;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>
    /// Appends <paramref name="entry"/> inside the caller's IMMEDIATE transaction on the same database,
    /// so a change and its audit row commit together or not at all (the evidence catalogue's reviews,
    /// holds and disposals). The transaction's write lock orders it against every other appender.
    /// </summary>
    internal static async Task<AuditRecord> AppendAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        Validate(entry);
        string details = AuditChain.CanonicalDetails(entry.Details);
        long sequence = 1;
        string previousHash = AuditSchema.GenesisHash;
        using (SqliteCommand last = connection.CreateCommand())
        {
            last.Transaction = transaction;
            last.CommandText = "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1;";
            await using SqliteDataReader reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequence = reader.GetInt64(0) + 1;
                previousHash = reader.GetString(1);
            }
        }

        DateTimeOffset now = at.ToUniversalTime();
        string time = FormatTime(now);
        string hash = AuditChain.ComputeHash(previousHash, sequence, time, entry.Actor, entry.Action, entry.Subject, entry.Reason, entry.Recipient, details);
        using (SqliteCommand insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO audit_log ({Columns}) VALUES ($sequence, $time, $actor, $action, $subject, $reason, $recipient, $details, $previous, $hash);";
            insert.Parameters.AddWithValue("$sequence", sequence);
            insert.Parameters.AddWithValue("$time", time);
            insert.Parameters.AddWithValue("$actor", entry.Actor);
            insert.Parameters.AddWithValue("$action", entry.Action);
            insert.Parameters.AddWithValue("$subject", (object?)entry.Subject ?? DBNull.Value);
            insert.Parameters.AddWithValue("$reason", (object?)entry.Reason ?? DBNull.Value);
            insert.Parameters.AddWithValue("$recipient", (object?)entry.Recipient ?? DBNull.Value);
            insert.Parameters.AddWithValue("$details", details);
            insert.Parameters.AddWithValue("$previous", previousHash);
            insert.Parameters.AddWithValue("$hash", hash);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new AuditRecord(sequence, now, entry.Actor, entry.Action, entry.Subject, entry.Reason, entry.Recipient, AuditChain.ParseDetails(details), previousHash, hash);
    }

    private static void Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor);
        CheckLength(entry.Actor, nameof(entry.Actor));
        CheckLength(entry.Subject, nameof(entry.Subject));
        CheckLength(entry.Reason, nameof(entry.Reason));
        CheckLength(entry.Recipient, nameof(entry.Recipient));
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, AuditQuery.MaxLimit);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM audit_log WHERE sequence > $after");
        command.Parameters.AddWithValue("$after", query.AfterSequence);
        AddCondition(command, sql, "action", query.Action);
        AddCondition(command, sql, "actor", query.Actor);
        AddCondition(command, sql, "subject", query.Subject);
        if (query.From is DateTimeOffset from)
        {
            sql.Append(" AND time >= $from");
            command.Parameters.AddWithValue("$from", FormatTime(from.ToUniversalTime()));
        }

        if (query.To is DateTimeOffset to)
        {
            sql.Append(" AND time < $to");
            command.Parameters.AddWithValue("$to", FormatTime(to.ToUniversalTime()));
        }

        sql.Append(" ORDER BY sequence LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();
        var records = new List<AuditRecord>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One read transaction: a consistent snapshot while appends go on.
        using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);
        long expected = 1;
        string previousHash = AuditSchema.GenesisHash;
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.Transaction = snapshot;
            command.CommandText = $"SELECT {Columns} FROM audit_log ORDER BY sequence;";
            await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                long sequence = reader.GetInt64(0);
                if (sequence != expected)
                {
                    return Broken(expected, $"Row {expected} is missing: the row after row {expected - 1} is numbered {sequence}. Rows have been deleted or renumbered.");
                }

                string storedPrevious = reader.GetString(8);
                string storedHash = reader.GetString(9);
                if (!string.Equals(storedPrevious, previousHash, StringComparison.Ordinal))
                {
                    return Broken(sequence, sequence == 1
                        ? "Row 1 does not start the chain: its previous hash is not the genesis value (zeros). Rows before it have been removed, or it has been altered."
                        : $"Row {sequence} does not follow row {sequence - 1}: its previous hash is not row {sequence - 1}'s hash. Rows have been reordered, or row {sequence - 1} was altered and given a new hash.");
                }

                string computed = AuditChain.ComputeHash(
                    storedPrevious,
                    sequence,
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetString(7));
                if (!string.Equals(computed, storedHash, StringComparison.Ordinal))
                {
                    return Broken(sequence, $"Row {sequence}'s contents do not match its hash: a field has been edited, or the hash replaced.");
                }

                previousHash = storedHash;
                expected++;
            }
        }

        long rows = expected - 1;
        using (SqliteCommand highest = connection.CreateCommand())
        {
            highest.Transaction = snapshot;
            highest.CommandText = "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log';";
            object? value = await highest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            long used = value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            if (used > rows)
            {
                return new AuditVerification(rows, rows + 1, $"Row {rows + 1} is missing: the log once reached row {used}, but it now ends at row {rows}. Rows have been cut from its end.");
            }
        }

        return new AuditVerification(rows, null, null);

        AuditVerification Broken(long at, string problem) => new(at - 1, at, problem);
    }

    public void Dispose() => _appendGate.Dispose();

    internal static string FormatTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static void AddCondition(SqliteCommand command, StringBuilder sql, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = ${column}");
            command.Parameters.AddWithValue("$" + column, value);
        }
    }

    private static AuditRecord Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        AuditChain.ParseDetails(reader.GetString(7)),
        reader.GetString(8),
        reader.GetString(9));

    private static void CheckLength(string? value, string name)
    {
        if (value is { Length: > MaxFieldLength })
        {
            throw new ArgumentException($"The audit entry's {name} is {value.Length} characters; at most {MaxFieldLength} are kept.", name);
        }
    }
}
