using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Sessions;

namespace Relay.Control.Plugins;

/// <summary>
/// Plugin settings changed on the Plugins page, kept in the relay's SQLite database
/// (<see cref="PluginSettingsSchema"/>) so they outlive a restart. Each change is audited
/// (<see cref="AuditActions.PluginSettingChange"/>, subject <c>plugin:{name}</c>) in the same transaction:
/// the old and new value for an ordinary setting, only "changed" for a secret one. The database needs the audit module too.
/// </summary>
/// <remarks>The store does not judge values: the host checks them against the plugin before calling <see cref="ChangeAsync"/>.</remarks>
public sealed class PluginSettingsStore
{
    public const int MaxNameLength = 256;
    public const int MaxValueLength = 4096;
    public const int MaxReasonLength = AuditInput.MaxReasonLength;

    private readonly RelayDatabase _database;
    private readonly TimeProvider _time;

    public PluginSettingsStore(RelayDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>The audit subject of a plugin's setting changes.</summary>
    public static string AuditSubject(string plugin) => "plugin:" + plugin;

    /// <summary>Every stored setting, by plugin and key.</summary>
    public async Task<IReadOnlyList<PluginSettingOverride>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT plugin, key, value, changed_at, changed_by FROM plugin_settings ORDER BY plugin, key;";
        var settings = new List<PluginSettingOverride>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            settings.Add(new PluginSettingOverride(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixMicroseconds.ToTime(reader.GetInt64(3)), reader.GetString(4)));
        }

        return settings;
    }

    /// <summary>Stores the setting and appends its audit entry, together. Throws <see cref="ArgumentException"/> for an empty reason, actor, name or key, or one too long.</summary>
    public async Task ChangeAsync(PluginSettingChange change, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        AuditInput.CheckActor(actor);

        if (ReasonProblem(reason) is { } problem)
        {
            throw new ArgumentException(problem, nameof(reason));
        }

        if (string.IsNullOrEmpty(change.Plugin) || change.Plugin.Length > MaxNameLength || string.IsNullOrEmpty(change.Key) || change.Key.Length > MaxNameLength)
        {
            throw new ArgumentException($"A plugin's name and a setting's key are 1 to {MaxNameLength} characters.", nameof(change));
        }

        if (change.Value is null || change.Value.Length > MaxValueLength)
        {
            throw new ArgumentException($"A setting's value is at most {MaxValueLength} characters.", nameof(change));
        }

        DateTimeOffset now = _time.GetUtcNow();
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using (SqliteCommand write = connection.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText =
                "INSERT INTO plugin_settings (plugin, key, value, changed_at, changed_by) VALUES ($plugin, $key, $value, $at, $by) " +
                "ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by;";
            write.Parameters.AddWithValue("$plugin", change.Plugin);
            write.Parameters.AddWithValue("$key", change.Key);
            write.Parameters.AddWithValue("$value", change.Value);
            write.Parameters.AddWithValue("$at", UnixMicroseconds.From(now));
            write.Parameters.AddWithValue("$by", actor);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A secret's values are never written here, not even a hash of them: a short token's hash can be guessed back.
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["setting"] = change.Key,
        };
        if (change.Secret)
        {
            details["secret"] = "true";
            details["change"] = "changed";
        }
        else
        {
            details["from"] = change.Before ?? "(not set)";
            details["to"] = change.Value;
        }

        await AuditLog.AppendAsync(connection, transaction, new AuditEntry(AuditActions.PluginSettingChange, actor, AuditSubject(change.Plugin), reason.Trim(), null, details), now, cancellationToken).ConfigureAwait(false);
        transaction.Commit();
    }

    /// <summary>What is wrong with <paramref name="reason"/>, in words for the engineer; null when it will do.</summary>
    public static string? ReasonProblem(string? reason) => AuditInput.ReasonProblem(reason, "with who changed the setting and when");
}
