using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Relay.Control.Data;

/// <summary>
/// The relay's SQLite database: opens connections and brings every schema module up to date.
/// SQLite in WAL mode lets readers run beside the one writer; each connection waits for a busy
/// writer instead of failing at once.
/// </summary>
public sealed class RelayDatabase
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<SchemaModule> _modules;

    public RelayDatabase(string path, IEnumerable<SchemaModule> modules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(modules);
        FilePath = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        _modules = [.. modules];

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (SchemaModule module in _modules)
        {
            if (!names.Add(module.Name))
            {
                throw new ArgumentException($"Two schema modules are named '{module.Name}'.", nameof(modules));
            }
        }
    }

    /// <summary>The database file's full path.</summary>
    public string FilePath { get; }

    /// <summary>An open connection; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteCommand pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates the file if needed and applies each module's migrations it has not had yet, each in
    /// its own transaction with its version bump, so a failed migration leaves the module at the
    /// last good version. A database newer than this build is refused rather than guessed at.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        string? directory = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL) STRICT;", cancellationToken).ConfigureAwait(false);

        foreach (SchemaModule module in _modules)
        {
            // The version is read inside each IMMEDIATE (write-locked) transaction, so relays started
            // together on one file take turns: the second sees the first's migrations and skips them.
            while (true)
            {
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                int current = await ReadVersionAsync(connection, transaction, module.Name, cancellationToken).ConfigureAwait(false);
                if (current > module.Migrations.Count)
                {
                    throw new InvalidOperationException(
                        $"The database '{FilePath}' has schema '{module.Name}' at version {current}, newer than this build knows ({module.Migrations.Count}). Run a newer build, or restore a backup made for this one.");
                }

                if (current == module.Migrations.Count)
                {
                    transaction.Commit();
                    break;
                }

                await ExecuteAsync(connection, transaction, module.Migrations[current], cancellationToken).ConfigureAwait(false);
                using SqliteCommand bump = connection.CreateCommand();
                bump.Transaction = transaction;
                bump.CommandText = "INSERT INTO schema_versions (module, version, applied_at) VALUES ($module, $version, $at) ON CONFLICT (module) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at;";
                bump.Parameters.AddWithValue("$module", module.Name);
                bump.Parameters.AddWithValue("$version", current + 1);
                bump.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                transaction.Commit();
            }
        }
    }

    /// <summary>The version a module's schema is at (0: none of it applied).</summary>
    public async Task<int> GetVersionAsync(string module, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionAsync(connection, null, module, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, string module, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_versions WHERE module = $module;";
        command.Parameters.AddWithValue("$module", module);
        try
        {
            object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            return 0; // no schema_versions table yet
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
