using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Tuning;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Tuning;

public sealed class TuningStoreTests : IAsyncLifetime
{
    private const string TokenLifetime = "Relay:Sessions:CallerTokenLifetime";
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-tuning-").FullName;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 22, 0, 0, TimeSpan.Zero));
    private RelayDatabase _database = null!;
    private TuningStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = new RelayDatabase(Path.Combine(_directory, "relay.db"), [AuditSchema.Module, TuningSchema.Module]);
        await _database.MigrateAsync();
        _store = new TuningStore(_database, _time);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync(AuditQuery query)
    {
        using var audit = new AuditLog(_database, _time);
        return await audit.QueryAsync(query);
    }

    private async Task<bool> IsChainIntactAsync()
    {
        using var audit = new AuditLog(_database, _time);
        return (await audit.VerifyAsync()).IsIntact;
    }

    [Fact]
    public async Task AChangedSettingIsStoredWithWhoAndWhen_AndAuditedWithTheOldAndNewValueAndTheReason()
    {
        await _store.ChangeAsync(new TuningChange(TokenLifetime, "00:30:00", "00:10:00", "00:10:00"), "eng", "Links sent at night were being used by the wrong person");

        TuningOverride stored = Assert.Single(await _store.ListAsync());
        Assert.Equal(new TuningOverride(TokenLifetime, "00:10:00", _time.GetUtcNow(), "eng"), stored);
        AuditRecord audit = Assert.Single(await AuditAsync(new AuditQuery { Subject = TuningStore.AuditSubject(TokenLifetime) }));
        Assert.Equal((TuningStore.AuditAction, "eng", "Links sent at night were being used by the wrong person"), (audit.Action, audit.Actor, audit.Reason));
        Assert.Equal(("00:30:00", "00:10:00", "set"), (audit.Details["from"], audit.Details["to"], audit.Details["change"]));
    }

    [Fact]
    public async Task ChangingASettingAgainReplacesItsValue_AndAResetRemovesIt_EachAudited()
    {
        await _store.ChangeAsync(new TuningChange(TokenLifetime, "00:30:00", "00:10:00", "00:10:00"), "eng", "first");
        _time.Advance(TimeSpan.FromMinutes(5));
        await _store.ChangeAsync(new TuningChange(TokenLifetime, "00:10:00", "00:20:00", "00:20:00"), "eng2", "second");

        Assert.Equal(("00:20:00", "eng2"), (Assert.Single(await _store.ListAsync()).Value, Assert.Single(await _store.ListAsync()).ChangedBy));

        await _store.ChangeAsync(new TuningChange(TokenLifetime, "00:20:00", "00:30:00", null), "eng", "back to the file's value");

        Assert.Empty(await _store.ListAsync());
        IReadOnlyList<AuditRecord> audit = await AuditAsync(new AuditQuery { Subject = TuningStore.AuditSubject(TokenLifetime) });
        Assert.Equal(3, audit.Count);
        Assert.Contains(audit, a => a.Details["change"] == "reset" && a.Details["from"] == "00:20:00" && a.Details["to"] == "00:30:00");
        Assert.True(await IsChainIntactAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\u0001reason")]
    public async Task AChangeWithoutAUsableReasonIsRefused_AndNothingIsStoredOrAudited(string reason)
    {
        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => _store.ChangeAsync(new TuningChange(TokenLifetime, "00:30:00", "00:10:00", "00:10:00"), "eng", reason));

        Assert.Equal("reason", refused.ParamName);
        Assert.NotNull(TuningStore.ReasonProblem(reason));
        Assert.Empty(await _store.ListAsync());
        Assert.Empty(await AuditAsync(new AuditQuery { Subject = TuningStore.AuditSubject(TokenLifetime) }));
    }

    [Fact]
    public async Task OverridesOutliveTheStoreObject_AsTheyMustARestart()
    {
        await _store.ChangeAsync(new TuningChange("Relay:Media:PacketCacheCapacity", "1024", "2048", "2048"), "eng", "long RTT links");

        var reopened = new TuningStore(new RelayDatabase(_database.FilePath, [AuditSchema.Module, TuningSchema.Module]), _time);

        Assert.Equal("2048", Assert.Single(await reopened.ListAsync()).Value);
    }
}
