using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-audit-").FullName;
    private readonly ManualTimeProvider _time = new();

    private string DatabasePath => Path.Combine(_directory, "relay.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Appended_rows_are_numbered_and_each_carries_the_previous_rows_hash()
    {
        using AuditLog log = await CreateLogAsync();

        AuditRecord first = await log.AppendAsync(Entry("sign-in", "pc-1234"));
        _time.Advance(TimeSpan.FromSeconds(1));
        AuditRecord second = await log.AppendAsync(new AuditEntry(AuditActions.Disclosure, "em-1", "rec-9", "court order 7", "CPS", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));

        Assert.Equal(1, first.Sequence);
        Assert.Equal(AuditSchema.GenesisHash, first.PreviousHash);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.NotEqual(first.Hash, second.Hash);
        Assert.Equal(_time.GetUtcNow(), second.Time);
        AuditVerification verification = await log.VerifyAsync();
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(2, verification.RowsChecked);
    }

    [Fact]
    public async Task Details_are_stored_as_canonical_json_whatever_order_they_were_given_in()
    {
        using AuditLog log = await CreateLogAsync();

        await log.AppendAsync(new AuditEntry("export", "em-1", null, null, null, new Dictionary<string, string> { ["zeta"] = "ü\"", ["alpha"] = "1" }));

        Assert.Equal("""{"alpha":"1","zeta":"\u00FC\u0022"}""", await ScalarAsync("SELECT details FROM audit_log WHERE sequence = 1;"));
        AuditRecord read = Assert.Single(await log.QueryAsync(new AuditQuery()));
        Assert.Equal("ü\"", read.Details["zeta"]);
    }

    [Fact]
    public async Task An_empty_log_verifies()
    {
        using AuditLog log = await CreateLogAsync();

        AuditVerification verification = await log.VerifyAsync();

        Assert.True(verification.IsIntact);
        Assert.Equal(0, verification.RowsChecked);
    }

    [Fact]
    public async Task The_database_refuses_to_update_or_delete_audit_rows()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 2);

        SqliteException update = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 1;"));
        SqliteException delete = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync("DELETE FROM audit_log;"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.True((await log.VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task The_database_refuses_a_row_inserted_anywhere_but_the_end_of_the_chain()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 2);

        SqliteException e = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(
            $"INSERT INTO audit_log (sequence, time, actor, action, details, previous_hash, hash) VALUES (3, 't', 'a', 'b', '{{}}', '{AuditSchema.GenesisHash}', 'x');"));

        Assert.Contains("only grows at its end", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("actor = 'mallory'")]
    [InlineData("action = 'erasure'")]
    [InlineData("subject = 'other-session'")]
    [InlineData("subject = NULL")]
    [InlineData("reason = 'made up'")]
    [InlineData("recipient = 'press'")]
    [InlineData("details = '{\"k\":\"changed\"}'")]
    [InlineData("time = '2020-01-01T00:00:00.0000000+00:00'")]
    public async Task Verify_names_a_row_whose_field_was_edited(string assignment)
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 4);
        await TamperAsync($"UPDATE audit_log SET {assignment} WHERE sequence = 3;");

        AuditVerification verification = await log.VerifyAsync();

        Assert.Equal(3, verification.BrokenSequence);
        Assert.Equal(2, verification.RowsChecked);
        Assert.Contains("do not match its hash", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_a_deleted_row()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 4);
        await TamperAsync("DELETE FROM audit_log WHERE sequence = 2;");

        AuditVerification verification = await log.VerifyAsync();

        Assert.Equal(2, verification.BrokenSequence);
        Assert.Contains("Row 2 is missing", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_notices_rows_cut_from_the_end()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 4);
        await TamperAsync("DELETE FROM audit_log WHERE sequence >= 3;");

        AuditVerification verification = await log.VerifyAsync();

        Assert.Equal(3, verification.BrokenSequence);
        Assert.Contains("once reached row 4", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_the_first_of_two_reordered_rows()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 4);
        await TamperAsync("UPDATE audit_log SET sequence = -1 WHERE sequence = 2; UPDATE audit_log SET sequence = 2 WHERE sequence = 3; UPDATE audit_log SET sequence = 3 WHERE sequence = -1;");

        AuditVerification verification = await log.VerifyAsync();

        Assert.Equal(2, verification.BrokenSequence);
        Assert.Contains("does not follow row 1", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_a_row_whose_hash_was_replaced()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 4);
        await TamperAsync($"UPDATE audit_log SET hash = '{new string('a', 64)}' WHERE sequence = 2;");

        AuditVerification verification = await log.VerifyAsync();

        Assert.Equal(2, verification.BrokenSequence);
    }

    [Fact]
    public async Task Verify_catches_an_edited_row_given_a_forged_hash_at_the_next_row()
    {
        using AuditLog log = await CreateLogAsync();
        await AppendAsync(log, 4);
        IReadOnlyList<AuditRecord> rows = await log.QueryAsync(new AuditQuery());
        AuditRecord row = rows[1];
        string forged = AuditChain.ComputeHash(row.PreviousHash, row.Sequence, AuditLog.FormatTime(row.Time), "mallory", row.Action, row.Subject, row.Reason, row.Recipient, AuditChain.CanonicalDetails(row.Details));
        await TamperAsync($"UPDATE audit_log SET actor = 'mallory', hash = '{forged}' WHERE sequence = 2;");

        AuditVerification verification = await log.VerifyAsync();

        Assert.Equal(3, verification.BrokenSequence);
        Assert.Contains("Row 3 does not follow row 2", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_appenders_on_two_database_instances_never_fork_the_chain()
    {
        using AuditLog one = await CreateLogAsync();
        using var two = new AuditLog(new RelayDatabase(DatabasePath, [AuditSchema.Module]), _time);
        const int PerWriter = 25;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            AuditLog log = writer % 2 == 0 ? one : two;
            for (int i = 0; i < PerWriter; i++)
            {
                await log.AppendAsync(Entry("view", $"writer-{writer}"));
            }
        })));

        AuditVerification verification = await two.VerifyAsync();
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(4 * PerWriter, verification.RowsChecked);
    }

    [Fact]
    public async Task Query_filters_by_action_actor_subject_and_time_and_pages_by_sequence()
    {
        using AuditLog log = await CreateLogAsync();
        DateTimeOffset start = _time.GetUtcNow();
        await log.AppendAsync(new AuditEntry("view", "pc-1", "s-1", null, null, null));
        _time.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync(new AuditEntry("export", "pc-1", "s-2", null, null, null));
        _time.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync(new AuditEntry("view", "pc-2", "s-1", null, null, null));
        await log.AppendAsync(new AuditEntry("view", "pc-2", "s-3", null, null, null));

        Assert.Equal([1L, 3, 4], (await log.QueryAsync(new AuditQuery { Action = "view" })).Select(r => r.Sequence));
        Assert.Equal([1L, 2], (await log.QueryAsync(new AuditQuery { Actor = "pc-1" })).Select(r => r.Sequence));
        Assert.Equal([1L, 3], (await log.QueryAsync(new AuditQuery { Subject = "s-1" })).Select(r => r.Sequence));
        Assert.Equal([2L], (await log.QueryAsync(new AuditQuery { From = start.AddSeconds(30), To = start.AddSeconds(90) })).Select(r => r.Sequence));
        IReadOnlyList<AuditRecord> page1 = await log.QueryAsync(new AuditQuery { Limit = 2 });
        IReadOnlyList<AuditRecord> page2 = await log.QueryAsync(new AuditQuery { Limit = 2, AfterSequence = page1[^1].Sequence });
        Assert.Equal([1L, 2, 3, 4], page1.Concat(page2).Select(r => r.Sequence));
    }

    private static AuditEntry Entry(string action, string actor) => new(action, actor, "session-1", null, null, null);

    private static async Task AppendAsync(AuditLog log, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await log.AppendAsync(new AuditEntry("view", $"pc-{i}", $"session-{i}", "checking", null, new Dictionary<string, string> { ["k"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
    }

    private async Task<AuditLog> CreateLogAsync()
    {
        var database = new RelayDatabase(DatabasePath, [AuditSchema.Module]);
        await database.MigrateAsync();
        return new AuditLog(database, _time);
    }

    // What someone with write access to the file could do: drop the triggers, then edit.
    private Task TamperAsync(string sql) => ExecuteAsync("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_append_at_end; " + sql);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
