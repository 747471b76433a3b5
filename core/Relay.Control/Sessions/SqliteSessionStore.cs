using System.Globalization;
using Microsoft.Data.Sqlite;
using Relay.Control.Data;

namespace Relay.Control.Sessions;

/// <summary>
/// Sessions in the relay's SQLite database (schema module <see cref="SessionSchema"/>). State
/// changes are single conditional UPDATEs, so two racing changes (a Start and an end, two Starts
/// with the same token) cannot both win.
/// </summary>
public sealed class SqliteSessionStore : ISessionStore
{
    private const string Columns =
        "id, incident, phone, mode, audio, retention, created_at, created_by, state, started_at, ended_at, ended_by, " +
        "token_hash, token_expires_at, token_spent_at, caller_key_hash, sms_state, sms_message_id, sms_error, sms_sent_at, created_by_kind";

    private readonly RelayDatabase _database;

    public SqliteSessionStore(RelayDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    internal RelayDatabase Database => _database;

    public async Task AddAsync(CallSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand insert = CreateInsert(connection, session);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static SqliteCommand CreateInsert(SqliteConnection connection, CallSession session)
    {
        if (!PhoneNumber.TryParse(session.Phone, out PhoneNumber? phone))
        {
            throw new ArgumentException($"'{session.Phone}' is not an E.164 number.", nameof(session));
        }

        SqliteCommand command = connection.CreateCommand();
        command.CommandText =
            $"INSERT INTO sessions ({Columns}, country_code) VALUES ($id, $incident, $phone, $mode, $audio, $retention, $created_at, $created_by, $state, $started_at, $ended_at, $ended_by, " +
            "$token_hash, $token_expires_at, $token_spent_at, $caller_key_hash, $sms_state, $sms_message_id, $sms_error, $sms_sent_at, $created_by_kind, $country_code);";
        command.Parameters.AddWithValue("$id", session.Id);
        command.Parameters.AddWithValue("$incident", session.Incident);
        command.Parameters.AddWithValue("$phone", phone.Value);
        command.Parameters.AddWithValue("$country_code", phone.CountryCode);
        command.Parameters.AddWithValue("$mode", ModeText(session.Mode));
        command.Parameters.AddWithValue("$audio", session.Audio ? 1 : 0);
        command.Parameters.AddWithValue("$retention", session.Retention);
        command.Parameters.AddWithValue("$created_at", UnixMicroseconds.From(session.CreatedAt));
        command.Parameters.AddWithValue("$created_by", session.CreatedBy);
        command.Parameters.AddWithValue("$created_by_kind", CreatorKindText(session.CreatedByKind));
        command.Parameters.AddWithValue("$state", StateText(session.State));
        command.Parameters.AddWithValue("$started_at", Nullable(session.StartedAt));
        command.Parameters.AddWithValue("$ended_at", Nullable(session.EndedAt));
        command.Parameters.AddWithValue("$ended_by", (object?)session.EndedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$token_hash", session.CallerTokenHash);
        command.Parameters.AddWithValue("$token_expires_at", UnixMicroseconds.From(session.CallerTokenExpiresAt));
        command.Parameters.AddWithValue("$token_spent_at", Nullable(session.CallerTokenSpentAt));
        command.Parameters.AddWithValue("$caller_key_hash", (object?)session.CallerKeyHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$sms_state", SessionSms.ToText(session.Sms.State));
        command.Parameters.AddWithValue("$sms_message_id", (object?)session.Sms.ProviderMessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$sms_error", (object?)session.Sms.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$sms_sent_at", Nullable(session.Sms.SentAt));
        return command;
    }

    public async Task<CallSession?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await QuerySingleAsync($"SELECT {Columns} FROM sessions WHERE id = $value;", id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CallSession?> FindByTokenHashAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return await QuerySingleAsync($"SELECT {Columns} FROM sessions WHERE token_hash = $value;", tokenHash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CallSession>> ListAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM sessions ORDER BY created_at DESC, id LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        var sessions = new List<CallSession>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sessions.Add(Read(reader));
        }

        return sessions;
    }

    public async Task<CallSession?> SpendTokenAsync(byte[] tokenHash, byte[] callerKeyHash, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(callerKeyHash);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText =
            "UPDATE sessions SET token_spent_at = $at, caller_key_hash = $key, state = 'live', started_at = coalesce(started_at, $at) " +
            "WHERE token_hash = $token AND token_spent_at IS NULL AND state = 'waiting' AND token_expires_at > $at " +
            $"RETURNING {Columns};";
        command.Parameters.AddWithValue("$at", UnixMicroseconds.From(at));
        command.Parameters.AddWithValue("$key", callerKeyHash);
        command.Parameters.AddWithValue("$token", tokenHash);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<bool> MarkLiveAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE sessions SET state = 'live', started_at = coalesce(started_at, $at) WHERE id = $id AND state = 'waiting';",
            id,
            at,
            null,
            cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> EndAsync(string id, DateTimeOffset at, string endedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endedBy);
        return await ExecuteAsync(
            "UPDATE sessions SET state = 'ended', ended_at = $at, ended_by = $by WHERE id = $id AND state <> 'ended';",
            id,
            at,
            endedBy,
            cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task UpdateSmsAsync(string id, SessionSms sms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(sms);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE sessions SET sms_state = $state, sms_message_id = coalesce($message_id, sms_message_id), sms_error = $error WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$state", SessionSms.ToText(sms.State));
        command.Parameters.AddWithValue("$message_id", (object?)sms.ProviderMessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)sms.Error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public int CountOpen()
    {
        using SqliteConnection connection = _database.OpenAsync().GetAwaiter().GetResult();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sessions WHERE state <> 'ended';";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static string ModeText(SessionMode mode) => mode == SessionMode.Location ? "location" : "video";

    private static string StateText(SessionState state) => state switch
    {
        SessionState.Waiting => "waiting",
        SessionState.Live => "live",
        _ => "ended",
    };

    private static object Nullable(DateTimeOffset? time) => time is { } value ? UnixMicroseconds.From(value) : DBNull.Value;

    private async Task<int> ExecuteAsync(string sql, string id, DateTimeOffset at, string? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", UnixMicroseconds.From(at));
        if (by is not null)
        {
            command.Parameters.AddWithValue("$by", by);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<CallSession?> QuerySingleAsync(string sql, object value, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$value", value);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static CallSession Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Incident = reader.GetString(1),
        Phone = reader.GetString(2),
        Mode = reader.GetString(3) == "location" ? SessionMode.Location : SessionMode.Video,
        Audio = reader.GetInt64(4) != 0,
        Retention = reader.GetString(5),
        CreatedAt = UnixMicroseconds.ToTime(reader.GetInt64(6)),
        CreatedBy = reader.GetString(7),
        State = reader.GetString(8) switch
        {
            "waiting" => SessionState.Waiting,
            "live" => SessionState.Live,
            _ => SessionState.Ended,
        },
        StartedAt = ReadTime(reader, 9),
        EndedAt = ReadTime(reader, 10),
        EndedBy = reader.IsDBNull(11) ? null : reader.GetString(11),
        CallerTokenHash = (byte[])reader.GetValue(12),
        CallerTokenExpiresAt = UnixMicroseconds.ToTime(reader.GetInt64(13)),
        CallerTokenSpentAt = ReadTime(reader, 14),
        CallerKeyHash = reader.IsDBNull(15) ? null : (byte[])reader.GetValue(15),
        Sms = new SessionSms(
            SessionSms.Parse(reader.GetString(16)),
            reader.IsDBNull(17) ? null : reader.GetString(17),
            reader.IsDBNull(18) ? null : reader.GetString(18),
            ReadTime(reader, 19)),
        CreatedByKind = reader.GetString(20) switch
        {
            "user" => SessionCreatorKind.User,
            "api-key" => SessionCreatorKind.ApiKey,
            _ => SessionCreatorKind.Unknown,
        },
    };

    private static string CreatorKindText(SessionCreatorKind kind) => kind switch
    {
        SessionCreatorKind.User => "user",
        SessionCreatorKind.ApiKey => "api-key",
        _ => "unknown",
    };

    private static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UnixMicroseconds.ToTime(reader.GetInt64(ordinal));
}
