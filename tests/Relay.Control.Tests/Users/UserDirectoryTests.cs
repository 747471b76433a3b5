using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Users;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Users;

public sealed class UserDirectoryTests : IDisposable
{
    private const string Password = "correct horse battery";

    private readonly string _directory = Directory.CreateTempSubdirectory("relay-users-").FullName;
    private readonly ManualTimeProvider _time = new();
    private readonly UserOptions _options = new() { MaxFailedSignIns = 3, LockoutDuration = TimeSpan.FromMinutes(10) };
    private AuditLog? _audit;

    public void Dispose()
    {
        _audit?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_created_user_signs_in_with_their_password_and_is_audited()
    {
        UserDirectory users = await CreateDirectoryAsync();

        RelayUser created = await users.CreateAsync("pc1234", "PC 1234 Jones", [UserRoles.Officer], Password, "admin");
        SignInResult result = await users.SignInAsync("PC1234", Password);

        Assert.Equal(SignInOutcome.Succeeded, result.Outcome);
        Assert.Equal("pc1234", result.User!.Name);
        Assert.Equal([UserRoles.Officer], result.User.Roles);
        Assert.Equal(created.SecurityStamp, result.User.SecurityStamp);
        Assert.Equal([AuditActions.UserCreated, AuditActions.SignIn], await ActionsAsync());
    }

    [Fact]
    public async Task The_password_is_stored_only_as_a_salted_hash()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("a.user", "A", [UserRoles.Officer], Password, "admin");
        await users.CreateAsync("b.user", "B", [UserRoles.Officer], Password, "admin");

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "relay.db")}");
        await connection.OpenAsync();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash FROM users ORDER BY name;";
        var hashes = new List<string>();
        await using (SqliteDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                hashes.Add(reader.GetString(0));
            }
        }

        Assert.Equal(2, hashes.Count);
        Assert.NotEqual(hashes[0], hashes[1]);
        Assert.DoesNotContain("horse", hashes[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_fail_alike()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        SignInResult unknown = await users.SignInAsync("nobody", Password);
        SignInResult wrong = await users.SignInAsync("pc1234", "wrong password here");

        Assert.Equal(new SignInResult(SignInOutcome.Failed, null, null), unknown);
        Assert.Equal(unknown, wrong);
        Assert.Equal(2, (await _audit!.QueryAsync(new AuditQuery { Action = AuditActions.SignInFailed })).Count);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_until_the_lockout_ends()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");
        DateTimeOffset lockedAt = _time.GetUtcNow();

        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", "wrong-1-wrong-1")).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", "wrong-2-wrong-2")).Outcome);
        SignInResult third = await users.SignInAsync("pc1234", "wrong-3-wrong-3");
        SignInResult rightButLocked = await users.SignInAsync("pc1234", Password);
        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        SignInResult stillLocked = await users.SignInAsync("pc1234", Password);
        _time.Advance(TimeSpan.FromSeconds(1));
        SignInResult afterwards = await users.SignInAsync("pc1234", Password);

        Assert.Equal(new SignInResult(SignInOutcome.LockedOut, null, lockedAt.AddMinutes(10)), third);
        Assert.Equal(third, rightButLocked);
        Assert.Equal(SignInOutcome.LockedOut, stillLocked.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, afterwards.Outcome);
        AuditRecord lockout = Assert.Single(await _audit!.QueryAsync(new AuditQuery { Action = AuditActions.Lockout }));
        Assert.Equal("pc1234", lockout.Subject);
    }

    [Fact]
    public async Task A_success_resets_the_failure_count()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        await users.SignInAsync("pc1234", "wrong-1-wrong-1");
        await users.SignInAsync("pc1234", "wrong-2-wrong-2");
        await users.SignInAsync("pc1234", Password);
        await users.SignInAsync("pc1234", "wrong-3-wrong-3");

        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", "wrong-4-wrong-4")).Outcome);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_even_with_the_right_password()
    {
        UserDirectory users = await CreateDirectoryAsync();
        RelayUser before = await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        RelayUser after = await users.SetDisabledAsync("pc1234", disabled: true, "sgt-1");

        Assert.True(after.Disabled);
        Assert.NotEqual(before.SecurityStamp, after.SecurityStamp);
        Assert.Equal(SignInOutcome.Disabled, (await users.SignInAsync("pc1234", Password)).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", "not the password")).Outcome);
    }

    [Fact]
    public async Task A_role_change_is_audited_with_the_roles_before_and_after_and_changes_the_stamp()
    {
        UserDirectory users = await CreateDirectoryAsync();
        RelayUser before = await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        RelayUser after = await users.SetRolesAsync("pc1234", [UserRoles.Supervisor, UserRoles.Officer], "insp-1");

        Assert.Equal([UserRoles.Officer, UserRoles.Supervisor], after.Roles);
        Assert.NotEqual(before.SecurityStamp, after.SecurityStamp);
        AuditRecord change = Assert.Single(await _audit!.QueryAsync(new AuditQuery { Action = AuditActions.RoleChange }));
        Assert.Equal("insp-1", change.Actor);
        Assert.Equal("officer", change.Details["from"]);
        Assert.Equal("officer supervisor", change.Details["to"]);
    }

    [Theory]
    [InlineData("short", "at least 12")]
    [InlineData("", "no default password")]
    [InlineData("aaaaaaaaaaaaaaaa", "fewer than 5 different")]
    [InlineData("pc1234-is-my-password", "contains the user name")]
    [InlineData("Password1234", "built on 'password'")]
    public async Task A_weak_password_is_refused_with_the_reason(string password, string reason)
    {
        UserDirectory users = await CreateDirectoryAsync();

        UserException e = await Assert.ThrowsAsync<UserException>(() => users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], password, "admin"));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(await users.AnyAsync());
    }

    [Fact]
    public async Task A_name_in_use_in_any_case_and_an_unknown_role_are_refused()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        UserException taken = await Assert.ThrowsAsync<UserException>(() => users.CreateAsync("PC1234", "Other", [UserRoles.Officer], Password, "admin"));
        UserException role = await Assert.ThrowsAsync<UserException>(() => users.CreateAsync("pc5678", "Other", ["chief"], Password, "admin"));
        UserException name = await Assert.ThrowsAsync<UserException>(() => users.CreateAsync("pc 5678", "Other", [UserRoles.Officer], Password, "admin"));

        Assert.Contains("already a user", taken.Message, StringComparison.Ordinal);
        Assert.Contains("not a role", role.Message, StringComparison.Ordinal);
        Assert.Contains("character ' '", name.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_gives_a_one_time_password_that_only_lets_the_user_choose_a_new_one()
    {
        UserDirectory users = await CreateDirectoryAsync();
        RelayUser before = await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        string temporary = await users.ResetPasswordAsync("pc1234", "engineer1");

        RelayUser reset = (await users.FindAsync("pc1234"))!;
        Assert.True(reset.MustChangePassword);
        Assert.NotEqual(before.SecurityStamp, reset.SecurityStamp);
        Assert.Null(PasswordPolicy.Check(temporary, "pc1234", _options.MinPasswordLength));
        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", Password)).Outcome);
        Assert.Equal(SignInOutcome.PasswordChangeRequired, (await users.SignInAsync("pc1234", temporary)).Outcome);

        RelayUser changed = await users.ChangePasswordAsync("pc1234", temporary, "a new long passphrase");

        Assert.False(changed.MustChangePassword);
        Assert.Equal(SignInOutcome.Succeeded, (await users.SignInAsync("pc1234", "a new long passphrase")).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", temporary)).Outcome);
        AuditRecord resetEntry = (await _audit!.QueryAsync(new AuditQuery { Action = IUserDirectory.PasswordResetAction })).Single();
        Assert.Equal(("engineer1", "pc1234"), (resetEntry.Actor, resetEntry.Subject));
        Assert.DoesNotContain(temporary, AuditText(resetEntry), StringComparison.Ordinal);
        AuditRecord changeEntry = (await _audit.QueryAsync(new AuditQuery { Action = AuditActions.PasswordChange })).Single();
        Assert.Equal(("pc1234", "pc1234"), (changeEntry.Actor, changeEntry.Subject));
    }

    [Fact]
    public async Task Two_resets_give_different_passwords_and_a_reset_lifts_a_lockout()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");
        for (int i = 0; i < _options.MaxFailedSignIns; i++)
        {
            await users.SignInAsync("pc1234", "wrong password " + i);
        }

        Assert.NotNull((await users.FindAsync("pc1234"))!.LockedUntil);
        string first = await users.ResetPasswordAsync("pc1234", "engineer1");
        string second = await users.ResetPasswordAsync("pc1234", "engineer1");

        Assert.NotEqual(first, second);
        Assert.Null((await users.FindAsync("pc1234"))!.LockedUntil);
        Assert.Equal(SignInOutcome.Failed, (await users.SignInAsync("pc1234", first)).Outcome);
        Assert.Equal(SignInOutcome.PasswordChangeRequired, (await users.SignInAsync("pc1234", second)).Outcome);
    }

    [Fact]
    public async Task A_person_changes_their_own_password_only_with_the_right_current_one_and_a_good_new_one()
    {
        UserDirectory users = await CreateDirectoryAsync();
        RelayUser before = await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");

        UserException wrong = await Assert.ThrowsAsync<UserException>(() => users.ChangePasswordAsync("pc1234", "not my password", "a new long passphrase"));
        UserException weak = await Assert.ThrowsAsync<UserException>(() => users.ChangePasswordAsync("pc1234", Password, "short"));
        UserException same = await Assert.ThrowsAsync<UserException>(() => users.ChangePasswordAsync("pc1234", Password, Password));
        UserException unknown = await Assert.ThrowsAsync<UserException>(() => users.ChangePasswordAsync("nobody", Password, "a new long passphrase"));

        Assert.Contains("current password is not right", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("at least", weak.Message, StringComparison.Ordinal);
        Assert.Contains("same as the current one", same.Message, StringComparison.Ordinal);
        Assert.Equal(wrong.Message, unknown.Message);

        RelayUser after = await users.ChangePasswordAsync("pc1234", Password, "a new long passphrase");
        Assert.NotEqual(before.SecurityStamp, after.SecurityStamp);
        Assert.Equal(SignInOutcome.Succeeded, (await users.SignInAsync("pc1234", "a new long passphrase")).Outcome);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_towards_the_lockout()
    {
        UserDirectory users = await CreateDirectoryAsync();
        await users.CreateAsync("pc1234", "PC 1234", [UserRoles.Officer], Password, "admin");
        for (int i = 0; i < _options.MaxFailedSignIns; i++)
        {
            await Assert.ThrowsAsync<UserException>(() => users.ChangePasswordAsync("pc1234", "wrong password " + i, "a new long passphrase"));
        }

        UserException locked = await Assert.ThrowsAsync<UserException>(() => users.ChangePasswordAsync("pc1234", Password, "a new long passphrase"));
        Assert.Contains("locked", locked.Message, StringComparison.Ordinal);
        Assert.Equal(SignInOutcome.LockedOut, (await users.SignInAsync("pc1234", Password)).Outcome);
    }

    [Fact]
    public void A_temporary_password_is_long_grouped_and_free_of_look_alike_characters()
    {
        string password = TemporaryPassword.Create("pc1234", 12);
        Assert.Matches("^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){4}$", password);
        Assert.Equal(30, TemporaryPassword.Create("pc1234", 30).Replace("-", "", StringComparison.Ordinal).Length);
    }

    private static string AuditText(AuditRecord record) =>
        string.Join(' ', [record.Reason, record.Recipient, .. record.Details.Select(static d => d.Key + "=" + d.Value)]);

    private async Task<string[]> ActionsAsync() => [.. (await _audit!.QueryAsync(new AuditQuery())).Select(r => r.Action)];

    private async Task<UserDirectory> CreateDirectoryAsync()
    {
        var database = new RelayDatabase(Path.Combine(_directory, "relay.db"), [UserSchema.Module, AuditSchema.Module]);
        await database.MigrateAsync();
        _audit = new AuditLog(database, _time);
        return new UserDirectory(database, _audit, _time, _options);
    }
}
