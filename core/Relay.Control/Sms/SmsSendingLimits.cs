using System.Globalization;
using Microsoft.Data.Sqlite;
using Relay.Control.Data;
using Relay.Control.Sessions;

namespace Relay.Control.Sms;

/// <summary>
/// Checks the SMS sending limits (<see cref="SmsLimitOptions"/>) against the sessions table and, if
/// they allow it, stores the new session with its send time in the same write transaction, so two
/// officers racing for the last place cannot both get it, and a restart forgets nothing.
/// </summary>
public sealed class SmsSendingLimits
{
    private readonly RelayDatabase _database;
    private readonly Func<SmsLimitOptions> _options;

    public SmsSendingLimits(RelayDatabase database, SmsLimitOptions options)
        : this(database, () => options)
    {
        ArgumentNullException.ThrowIfNull(options);
    }

    /// <param name="database">The sessions table the limits count in.</param>
    /// <param name="options">The limits now: read at every check, so a limit an engineer changes in operation (the portal's Tuning page) applies to the next SMS.</param>
    public SmsSendingLimits(RelayDatabase database, Func<SmsLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _options = options;
    }

    /// <summary>The refusal when <paramref name="phone"/>'s country code is not allowed; null when it is.</summary>
    public SmsLimitRefusal? CheckCountry(PhoneNumber phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        IReadOnlyList<string> allowed = _options().EffectiveCountryCodes;
        foreach (string code in allowed)
        {
            if (code == phone.CountryCode)
            {
                return null;
            }
        }

        return new SmsLimitRefusal(
            SmsLimitKind.CountryNotAllowed,
            $"Links may be sent only to numbers with the country code {string.Join(", ", Plus(allowed))}; {phone.Value} is +{phone.CountryCode}. " +
            $"If calls from abroad are expected, the relay's operator can add the code to {SmsLimitOptions.SectionName}:AllowedCountryCodes.",
            null);
    }

    /// <summary>
    /// Stores <paramref name="session"/>, whose <see cref="SessionSms.SentAt"/> is the send time
    /// being reserved, if every limit allows one more SMS at that time; otherwise stores nothing and
    /// says which limit refused and when it frees up.
    /// </summary>
    public async Task<SmsLimitRefusal?> TryAddSessionAsync(CallSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Sms.SentAt is not { } at)
        {
            throw new ArgumentException("The session's SMS needs the send time to reserve.", nameof(session));
        }

        if (!PhoneNumber.TryParse(session.Phone, out PhoneNumber? phone))
        {
            throw new ArgumentException($"'{session.Phone}' is not an E.164 number.", nameof(session));
        }

        if (CheckCountry(phone) is { } country)
        {
            return country;
        }

        SmsLimitOptions limits = _options();
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is taken before counting.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        SmsLimitRefusal? refusal =
            await CheckAsync(connection, transaction, SmsLimitKind.PerOfficer, "created_by", session.CreatedBy, limits.PerOfficer, at, cancellationToken).ConfigureAwait(false)
            ?? await CheckAsync(connection, transaction, SmsLimitKind.PerNumber, "phone", phone.Value, limits.PerNumber, at, cancellationToken).ConfigureAwait(false)
            ?? await CheckAsync(connection, transaction, SmsLimitKind.PerCountry, "country_code", phone.CountryCode, limits.PerCountry, at, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        using SqliteCommand insert = SqliteSessionStore.CreateInsert(connection, session);
        insert.Transaction = transaction;
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static async Task<SmsLimitRefusal?> CheckAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        SmsLimitKind kind,
        string column,
        string value,
        SmsLimit limit,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        // The column name is one of three constants above, never input.
        long since = UnixMicroseconds.From(at - limit.Window);
        using SqliteCommand count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = $"SELECT count(*) FROM sessions WHERE {column} = $value AND sms_sent_at > $since;";
        count.Parameters.AddWithValue("$value", value);
        count.Parameters.AddWithValue("$since", since);
        long sent = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (sent < limit.Count)
        {
            return null;
        }

        // One more fits once the (sent - limit + 1)th oldest send in the window leaves it.
        using SqliteCommand oldest = connection.CreateCommand();
        oldest.Transaction = transaction;
        oldest.CommandText = $"SELECT sms_sent_at FROM sessions WHERE {column} = $value AND sms_sent_at > $since ORDER BY sms_sent_at LIMIT 1 OFFSET $offset;";
        oldest.Parameters.AddWithValue("$value", value);
        oldest.Parameters.AddWithValue("$since", since);
        oldest.Parameters.AddWithValue("$offset", sent - limit.Count);
        object? first = await oldest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset freesAt = first is long micros ? UnixMicroseconds.ToTime(micros) + limit.Window : at + limit.Window;

        string who = kind switch
        {
            SmsLimitKind.PerOfficer => $"'{value}' has sent",
            SmsLimitKind.PerNumber => $"{value} has been sent",
            _ => $"numbers under +{value} have been sent",
        };
        string what = kind switch
        {
            SmsLimitKind.PerOfficer => "per officer",
            SmsLimitKind.PerNumber => "per destination number",
            _ => "per country code",
        };
        string name = new SmsLimitRefusal(kind, "", null).Name;
        string detail =
            $"The {what} SMS limit ({SmsLimitOptions.SectionName}:{name}) allows {limit.Count} in {Describe(limit.Window)}, and {who} {sent} in that time. " +
            $"The next can be sent from {freesAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC (in {Describe(freesAt - at)}). " +
            (kind == SmsLimitKind.PerNumber
                ? "If the caller did not get the link, check the number, or read them the link from an existing session."
                : "If this is a real need, the relay's operator can raise the limit.");
        return new SmsLimitRefusal(kind, detail, freesAt);
    }

    private static IEnumerable<string> Plus(IReadOnlyList<string> codes)
    {
        foreach (string code in codes)
        {
            yield return "+" + code;
        }
    }

    private static string Describe(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(2))
        {
            int seconds = Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));
            return seconds.ToString(CultureInfo.InvariantCulture) + (seconds == 1 ? " second" : " seconds");
        }

        if (span < TimeSpan.FromHours(2))
        {
            return ((int)Math.Ceiling(span.TotalMinutes)).ToString(CultureInfo.InvariantCulture) + " minutes";
        }

        return span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours";
    }
}
