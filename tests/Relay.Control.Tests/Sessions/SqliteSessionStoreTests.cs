using Microsoft.Data.Sqlite;
using Relay.Control.Data;
using Relay.Control.Sessions;

namespace Relay.Control.Tests.Sessions;

public sealed class SqliteSessionStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SessionDatabase _database = new();
    private SqliteSessionStore _store = null!;

    public async Task InitializeAsync() => _store = await _database.OpenStoreAsync();

    public async Task DisposeAsync() => await _database.DeleteAsync();

    [Fact]
    public async Task ASessionReadsBackAsStored_AfterTheStoreIsOpenedAgain()
    {
        CallSession session = SessionDatabase.NewSession("token", s_now.AddTicks(17)) with
        {
            Sms = new SessionSms(SessionSmsState.Queued, "SM123", null, s_now),
        };
        await _store.AddAsync(session);

        SqliteSessionStore reopened = await _database.OpenStoreAsync();
        CallSession found = (await reopened.FindAsync(session.Id))!;

        Assert.Equal(session.Id, found.Id);
        Assert.Equal("+447700900123", found.Phone);
        Assert.Equal(SessionMode.Video, found.Mode);
        Assert.True(found.Audio);
        Assert.Equal(SessionState.Waiting, found.State);
        Assert.Equal(s_now.AddTicks(10), found.CreatedAt); // kept to the microsecond
        Assert.Equal(session.CallerTokenHash, found.CallerTokenHash);
        Assert.Equal(session.CallerTokenExpiresAt.AddTicks(-7), found.CallerTokenExpiresAt);
        Assert.Null(found.CallerKeyHash);
        Assert.Equal(new SessionSms(SessionSmsState.Queued, "SM123", null, s_now), found.Sms);
    }

    [Theory]
    [InlineData(SessionCreatorKind.User)]
    [InlineData(SessionCreatorKind.ApiKey)]
    public async Task TheCreatorsKindReadsBackAsStored(SessionCreatorKind kind)
    {
        CallSession session = SessionDatabase.NewSession("kind-" + kind, s_now, createdBy: "cad", createdByKind: kind);
        await _store.AddAsync(session);

        CallSession found = (await _store.FindAsync(session.Id))!;
        Assert.Equal(("cad", kind), (found.CreatedBy, found.CreatedByKind));
        Assert.Equal(kind, Assert.Single(await _store.ListAsync(10), s => s.Id == session.Id).CreatedByKind);
    }

    [Fact]
    public async Task ASessionStoredBeforeTheCreatorsKindWasKept_IsOfUnknownKindAfterTheMigration()
    {
        string directory = Directory.CreateTempSubdirectory("relay-sessions-v1-").FullName;
        try
        {
            string path = Path.Combine(directory, "relay.db");
            var version1 = new SchemaModule(SessionSchema.Name, [SessionSchema.Module.Migrations[0]]);
            var old = new RelayDatabase(path, [version1]);
            await old.MigrateAsync();
            await using (SqliteConnection connection = await old.OpenAsync())
            {
                using SqliteCommand insert = connection.CreateCommand();
                insert.CommandText =
                    "INSERT INTO sessions (id, incident, phone, country_code, mode, audio, retention, created_at, created_by, state, token_hash, token_expires_at, sms_state) " +
                    "VALUES ('old', 'INC-0', '+447700900123', '44', 'video', 0, 'standard', 1, 'cad', 'live', zeroblob(32), 2, 'not-configured');";
                await insert.ExecuteNonQueryAsync();
            }

            var current = new RelayDatabase(path, [SessionSchema.Module]);
            await current.MigrateAsync();

            Assert.Equal(SessionSchema.Module.Migrations.Count, await current.GetVersionAsync(SessionSchema.Name));
            CallSession found = (await new SqliteSessionStore(current).FindAsync("old"))!;
            Assert.Equal(("cad", SessionCreatorKind.Unknown), (found.CreatedBy, found.CreatedByKind));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SpendingTheToken_WorksOnce_AndStoresOnlyTheCallerKeysHash()
    {
        CallSession session = SessionDatabase.NewSession("token", s_now);
        await _store.AddAsync(session);
        byte[] keyHash = CallerSecret.Hash("key");

        CallSession? first = await _store.SpendTokenAsync(session.CallerTokenHash, keyHash, s_now.AddMinutes(1));
        CallSession? second = await _store.SpendTokenAsync(session.CallerTokenHash, CallerSecret.Hash("other"), s_now.AddMinutes(2));

        Assert.NotNull(first);
        Assert.Equal(SessionState.Live, first.State);
        Assert.Equal(s_now.AddMinutes(1), first.CallerTokenSpentAt);
        Assert.Equal(s_now.AddMinutes(1), first.StartedAt);
        Assert.Equal(keyHash, first.CallerKeyHash);
        Assert.Null(second);
        Assert.Equal(keyHash, (await _store.FindAsync(session.Id))!.CallerKeyHash);
    }

    [Fact]
    public async Task SpendingRacedFromManyConnections_HasExactlyOneWinner()
    {
        CallSession session = SessionDatabase.NewSession("token", s_now);
        await _store.AddAsync(session);

        CallSession?[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => _store.SpendTokenAsync(session.CallerTokenHash, CallerSecret.Hash($"key{i}"), s_now.AddSeconds(1)))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task AnExpiredOrEndedTokenIsNotSpent()
    {
        CallSession expired = SessionDatabase.NewSession("expired", s_now);
        CallSession ended = SessionDatabase.NewSession("ended", s_now);
        await _store.AddAsync(expired);
        await _store.AddAsync(ended);
        await _store.EndAsync(ended.Id, s_now, "cad");

        Assert.Null(await _store.SpendTokenAsync(expired.CallerTokenHash, CallerSecret.Hash("k"), expired.CallerTokenExpiresAt));
        Assert.Null(await _store.SpendTokenAsync(ended.CallerTokenHash, CallerSecret.Hash("k"), s_now.AddMinutes(1)));
    }

    [Fact]
    public async Task EndingCountsOnce_AndLeavesTheSessionOutOfTheOpenCount()
    {
        CallSession session = SessionDatabase.NewSession("token", s_now);
        await _store.AddAsync(session);
        int openBefore = _store.CountOpen();

        Assert.True(await _store.EndAsync(session.Id, s_now.AddMinutes(3), "caller"));
        Assert.False(await _store.EndAsync(session.Id, s_now.AddMinutes(4), "cad"));

        CallSession found = (await _store.FindAsync(session.Id))!;
        Assert.Equal(SessionState.Ended, found.State);
        Assert.Equal("caller", found.EndedBy);
        Assert.Equal(s_now.AddMinutes(3), found.EndedAt);
        Assert.Equal(openBefore - 1, _store.CountOpen());
    }

    [Fact]
    public async Task ListingIsNewestFirst()
    {
        await _store.AddAsync(SessionDatabase.NewSession("a", s_now, id: "older"));
        await _store.AddAsync(SessionDatabase.NewSession("b", s_now.AddSeconds(1), id: "newer"));

        IReadOnlyList<CallSession> sessions = await _store.ListAsync();

        Assert.Equal(["newer", "older"], sessions.Select(s => s.Id));
    }

    [Fact]
    public async Task ANumberThatIsNotE164IsNeverStored()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.AddAsync(SessionDatabase.NewSession("t", s_now, phone: "07700900123")));
    }
}
