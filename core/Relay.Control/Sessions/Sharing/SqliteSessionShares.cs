using Microsoft.Data.Sqlite;
using Relay.Control.Data;

namespace Relay.Control.Sessions.Sharing;

/// <summary>
/// Shares in the relay's SQLite database (schema module <see cref="SharingSchema"/>). A share is
/// one row keyed by session and officer, so sharing twice is a no-op rather than a duplicate.
/// </summary>
public sealed class SqliteSessionShares : ISessionShares
{
    private readonly RelayDatabase _database;

    public SqliteSessionShares(RelayDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    public async Task<bool> ShareAsync(SessionShare share, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(share);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO session_shares (session_id, officer, shared_by, shared_at, reason) VALUES ($session, $officer, $by, $at, $reason) " +
            "ON CONFLICT (session_id, officer) DO NOTHING;";
        command.Parameters.AddWithValue("$session", share.SessionId);
        command.Parameters.AddWithValue("$officer", share.Officer);
        command.Parameters.AddWithValue("$by", share.SharedBy);
        command.Parameters.AddWithValue("$at", UnixMicroseconds.From(share.SharedAt));
        command.Parameters.AddWithValue("$reason", share.Reason);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> UnshareAsync(string sessionId, string officer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(officer);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM session_shares WHERE session_id = $session AND officer = $officer;";
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$officer", officer);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<SessionShare>> ListAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT session_id, officer, shared_by, shared_at, reason FROM session_shares WHERE session_id = $session ORDER BY shared_at, officer;";
        command.Parameters.AddWithValue("$session", sessionId);
        var shares = new List<SessionShare>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            shares.Add(new SessionShare(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixMicroseconds.ToTime(reader.GetInt64(3)), reader.GetString(4)));
        }

        return shares;
    }

    public async Task<bool> IsSharedWithAsync(string sessionId, string officer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(officer);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM session_shares WHERE session_id = $session AND officer = $officer;";
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$officer", officer);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlySet<string>> SessionsSharedWithAsync(string officer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT session_id FROM session_shares WHERE officer = $officer;";
        command.Parameters.AddWithValue("$officer", officer);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
