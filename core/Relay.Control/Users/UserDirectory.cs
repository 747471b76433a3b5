using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;

namespace Relay.Control.Users;

/// <summary>
/// Users in the relay's SQLite database (<see cref="UserSchema"/>), passwords hashed with ASP.NET
/// Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2, per-password salt, a versioned
/// format it can upgrade on the next sign-in). Sign-ins, failures, lockouts, creations and role
/// changes go to the audit log.
/// </summary>
public sealed class UserDirectory : IUserDirectory
{
    public const int MaxNameLength = 64;
    public const int MaxDisplayNameLength = 200;

    private const string WrongCurrentPassword = "The current password is not right. Check it and try again; after repeated failures the account is locked for a while.";

    private const string Columns = "name, display_name, roles, disabled, locked_until, created_at, security_stamp, must_change_password";

    private readonly RelayDatabase _database;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly UserOptions _options;
    private readonly PasswordHasher<RelayUser> _hasher = new();

    // Checked against when the user is unknown, so an unknown name costs the same time as a wrong password.
    private readonly Lazy<string> _absentUserHash;

    public UserDirectory(RelayDatabase database, IAuditLog audit, TimeProvider time, UserOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _audit = audit;
        _time = time;
        _options = options;
        _absentUserHash = new Lazy<string>(() => _hasher.HashPassword(null!, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM users);";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0;
    }

    public async Task<RelayUser?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RelayUser>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users ORDER BY name;";
        var users = new List<RelayUser>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    public async Task<RelayUser> CreateAsync(string name, string displayName, IReadOnlyList<string> roles, string password, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        CheckName(name);
        CheckDisplayName(displayName);
        string storedRoles = CheckRoles(roles);
        if (PasswordPolicy.Check(password, name, _options.MinPasswordLength) is string weak)
        {
            throw new UserException(weak);
        }

        string now = Format(_time.GetUtcNow());
        string hash = _hasher.HashPassword(null!, password);
        await using (SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO users (name, display_name, roles, password_hash, security_stamp, created_at, updated_at)
                VALUES ($name, $display, $roles, $hash, $stamp, $now, $now) ON CONFLICT (name) DO NOTHING;
                """;
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$display", displayName);
            insert.Parameters.AddWithValue("$roles", storedRoles);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$stamp", NewStamp());
            insert.Parameters.AddWithValue("$now", now);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new UserException($"There is already a user named '{name}' (names are compared without regard to case).");
            }
        }

        await _audit.AppendAsync(new AuditEntry(AuditActions.UserCreated, actor, name, null, null, new Dictionary<string, string> { ["roles"] = storedRoles }), cancellationToken).ConfigureAwait(false);
        return await FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"The user '{name}' vanished right after it was created.");
    }

    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        DateTimeOffset now = _time.GetUtcNow();
        string claimed = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        (RelayUser User, string Hash)? found = await FindWithHashAsync(connection, claimed, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            _hasher.VerifyHashedPassword(null!, _absentUserHash.Value, password);
            await AuditFailureAsync(claimed, "unknown-user", cancellationToken).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.Failed, null, null);
        }

        RelayUser user = found.Value.User;
        if (user.LockedUntil is DateTimeOffset lockedUntil && lockedUntil > now)
        {
            // The password is not even checked while locked, so guessing cannot go on.
            await AuditFailureAsync(user.Name, "locked-out", cancellationToken).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.LockedOut, null, lockedUntil);
        }

        PasswordVerificationResult verified = _hasher.VerifyHashedPassword(user, found.Value.Hash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            return await CountFailureAsync(connection, user, now, cancellationToken).ConfigureAwait(false);
        }

        using (SqliteCommand reset = connection.CreateCommand())
        {
            reset.CommandText = verified == PasswordVerificationResult.SuccessRehashNeeded
                ? "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, password_hash = $hash WHERE name = $name;"
                : "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE name = $name;";
            reset.Parameters.AddWithValue("$name", user.Name);
            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            {
                reset.Parameters.AddWithValue("$hash", _hasher.HashPassword(user, password));
            }

            await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (user.Disabled)
        {
            await AuditFailureAsync(user.Name, "disabled", cancellationToken).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.Disabled, null, null);
        }

        if (user.MustChangePassword)
        {
            await AuditFailureAsync(user.Name, "password-change-required", cancellationToken).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.PasswordChangeRequired, null, null);
        }

        await _audit.AppendAsync(new AuditEntry(AuditActions.SignIn, user.Name, user.Name, null, null, null), cancellationToken).ConfigureAwait(false);
        return new SignInResult(SignInOutcome.Succeeded, user with { LockedUntil = null }, null);
    }

    public async Task<RelayUser> SetRolesAsync(string name, IReadOnlyList<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        string storedRoles = CheckRoles(roles);
        RelayUser before = await FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw NoSuchUser(name);
        RelayUser after = await UpdateAsync(name, "roles = $value", storedRoles, cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(
            new AuditEntry(AuditActions.RoleChange, actor, after.Name, null, null, new Dictionary<string, string> { ["from"] = string.Join(' ', before.Roles), ["to"] = storedRoles }),
            cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<RelayUser> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RelayUser after = await UpdateAsync(name, "disabled = $value", disabled ? 1 : 0, cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(new AuditEntry(disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, actor, after.Name, null, null, null), cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<RelayUser> SetPasswordAsync(string name, string password, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (PasswordPolicy.Check(password, name, _options.MinPasswordLength) is string weak)
        {
            throw new UserException(weak);
        }

        RelayUser after = await UpdateAsync(name, "password_hash = $value, failed_sign_ins = 0, locked_until = NULL, must_change_password = 0", _hasher.HashPassword(null!, password), cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(new AuditEntry(AuditActions.PasswordChange, actor, after.Name, null, null, null), cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<string> ResetPasswordAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(actor);
        string temporary = TemporaryPassword.Create(name, _options.MinPasswordLength);
        RelayUser after = await UpdateAsync(
            name, "password_hash = $value, failed_sign_ins = 0, locked_until = NULL, must_change_password = 1", _hasher.HashPassword(null!, temporary), cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(
            new AuditEntry(IUserDirectory.PasswordResetAction, actor, after.Name, null, null, new Dictionary<string, string> { ["must-change"] = "true" }),
            cancellationToken).ConfigureAwait(false);
        return temporary;
    }

    public async Task<RelayUser> ChangePasswordAsync(string name, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(currentPassword);
        ArgumentNullException.ThrowIfNull(newPassword);
        DateTimeOffset now = _time.GetUtcNow();
        await using (SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            (RelayUser User, string Hash)? found = await FindWithHashAsync(connection, name, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                _hasher.VerifyHashedPassword(null!, _absentUserHash.Value, currentPassword);
                await AuditFailureAsync(name.Length > MaxNameLength ? name[..MaxNameLength] : name, "unknown-user", cancellationToken).ConfigureAwait(false);
                throw new UserException(WrongCurrentPassword);
            }

            RelayUser user = found.Value.User;
            if (user.LockedUntil is DateTimeOffset lockedUntil && lockedUntil > now)
            {
                await AuditFailureAsync(user.Name, "locked-out", cancellationToken).ConfigureAwait(false);
                throw new UserException($"This account is locked after repeated failed sign-ins until {lockedUntil.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC. Try again then, or ask an engineer to reset the password.");
            }

            if (_hasher.VerifyHashedPassword(user, found.Value.Hash, currentPassword) == PasswordVerificationResult.Failed)
            {
                SignInResult failed = await CountFailureAsync(connection, user, now, cancellationToken).ConfigureAwait(false);
                throw new UserException(failed.Outcome == SignInOutcome.LockedOut
                    ? "The current password is not right, and after repeated failures the account is now locked for a while."
                    : WrongCurrentPassword);
            }

            if (user.Disabled)
            {
                await AuditFailureAsync(user.Name, "disabled", cancellationToken).ConfigureAwait(false);
                throw new UserException("This account is disabled. Ask an engineer to enable it.");
            }
        }

        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            throw new UserException("The new password is the same as the current one; choose a different one.");
        }

        if (PasswordPolicy.Check(newPassword, name, _options.MinPasswordLength) is string weak)
        {
            throw new UserException(weak);
        }

        RelayUser after = await UpdateAsync(
            name, "password_hash = $value, failed_sign_ins = 0, locked_until = NULL, must_change_password = 0", _hasher.HashPassword(null!, newPassword), cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(
            new AuditEntry(AuditActions.PasswordChange, after.Name, after.Name, null, null, new Dictionary<string, string> { ["by"] = "self" }),
            cancellationToken).ConfigureAwait(false);
        return after;
    }

    private async Task<SignInResult> CountFailureAsync(SqliteConnection connection, RelayUser user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long failures;
        using (SqliteCommand count = connection.CreateCommand())
        {
            count.CommandText = "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE name = $name RETURNING failed_sign_ins;";
            count.Parameters.AddWithValue("$name", user.Name);
            failures = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        await AuditFailureAsync(user.Name, "wrong-password", cancellationToken).ConfigureAwait(false);
        if (failures < _options.MaxFailedSignIns)
        {
            return new SignInResult(SignInOutcome.Failed, null, null);
        }

        DateTimeOffset until = now + _options.LockoutDuration;
        using (SqliteCommand lockout = connection.CreateCommand())
        {
            lockout.CommandText = "UPDATE users SET failed_sign_ins = 0, locked_until = $until WHERE name = $name;";
            lockout.Parameters.AddWithValue("$name", user.Name);
            lockout.Parameters.AddWithValue("$until", Format(until));
            await lockout.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await _audit.AppendAsync(
            new AuditEntry(AuditActions.Lockout, "system", user.Name, $"{failures} failed sign-ins in a row", null, new Dictionary<string, string> { ["until"] = Format(until) }),
            cancellationToken).ConfigureAwait(false);
        return new SignInResult(SignInOutcome.LockedOut, null, until);
    }

    private Task<AuditRecord> AuditFailureAsync(string name, string why, CancellationToken cancellationToken) =>
        _audit.AppendAsync(new AuditEntry(AuditActions.SignInFailed, name, name, why, null, null), cancellationToken);

    private async Task<RelayUser> UpdateAsync(string name, string assignment, object value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand update = connection.CreateCommand();
        update.CommandText = $"UPDATE users SET {assignment}, security_stamp = $stamp, updated_at = $now WHERE name = $name;";
        update.Parameters.AddWithValue("$name", name);
        update.Parameters.AddWithValue("$value", value);
        update.Parameters.AddWithValue("$stamp", NewStamp());
        update.Parameters.AddWithValue("$now", Format(_time.GetUtcNow()));
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw NoSuchUser(name);
        }

        return await FindAsync(connection, null, name, cancellationToken).ConfigureAwait(false) ?? throw NoSuchUser(name);
    }

    private static async Task<RelayUser?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM users WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static async Task<(RelayUser, string)?> FindWithHashAsync(SqliteConnection connection, string name, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, password_hash FROM users WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (Read(reader), reader.GetString(8)) : null;
    }

    private static RelayUser Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        reader.GetInt64(3) != 0,
        reader.IsDBNull(4) ? null : Parse(reader.GetString(4)),
        Parse(reader.GetString(5)),
        reader.GetString(6))
    {
        MustChangePassword = reader.GetInt64(7) != 0,
    };

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new UserException($"A user name is 1 to {MaxNameLength} characters.");
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            {
                throw new UserException($"The user name '{name}' has the character '{c}'; use letters, digits and . - _ @ only.");
            }
        }
    }

    private static void CheckDisplayName(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > MaxDisplayNameLength || displayName.Any(char.IsControl))
        {
            throw new UserException($"A display name is 1 to {MaxDisplayNameLength} printable characters.");
        }
    }

    private static string CheckRoles(IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string role in roles)
        {
            if (!UserRoles.IsKnown(role))
            {
                throw new UserException($"'{role}' is not a role; the roles are {string.Join(", ", UserRoles.All)}.");
            }

            distinct.Add(role);
        }

        return string.Join(' ', distinct);
    }

    private static UserException NoSuchUser(string name) => new($"There is no user named '{name}'.");

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
