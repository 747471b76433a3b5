using Microsoft.Data.Sqlite;
using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Control.Plugins;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Plugins;

public sealed class PluginSettingsStoreTests : IAsyncLifetime
{
    private const string Secret = "tok-0123456789abcdef-never-audited";
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-plugin-settings-").FullName;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
    private RelayDatabase _database = null!;
    private PluginSettingsStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = new RelayDatabase(Path.Combine(_directory, "relay.db"), [AuditSchema.Module, PluginSettingsSchema.Module]);
        await _database.MigrateAsync();
        _store = new PluginSettingsStore(_database, _time);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync()
    {
        using var audit = new AuditLog(_database, _time);
        return await audit.QueryAsync(new AuditQuery { Action = AuditActions.PluginSettingChange });
    }

    [Fact]
    public async Task AnOrdinarySettingIsStoredWithWhoAndWhen_AndAuditedWithItsOldAndNewValue()
    {
        await _store.ChangeAsync(new PluginSettingChange("twilio", "From", Secret: false, "+447700900000", "+447700900111"), "eng", "New sender number");

        PluginSettingOverride stored = Assert.Single(await _store.ListAsync());
        Assert.Equal(new PluginSettingOverride("twilio", "From", "+447700900111", _time.GetUtcNow(), "eng"), stored);
        AuditRecord audit = Assert.Single(await AuditAsync());
        Assert.Equal((AuditActions.PluginSettingChange, "eng", "New sender number"), (audit.Action, audit.Actor, audit.Reason));
        Assert.Equal(("From", "+447700900000", "+447700900111"), (audit.Details["setting"], audit.Details["from"], audit.Details["to"]));
    }

    [Fact]
    public async Task ASecretIsStoredForThePluginButItsAuditEntrySaysOnlyThatItChanged()
    {
        await _store.ChangeAsync(new PluginSettingChange("twilio", "AuthToken", Secret: true, null, Secret), "eng", "Token rotated");

        Assert.Equal(Secret, Assert.Single(await _store.ListAsync()).Value);
        AuditRecord audit = Assert.Single(await AuditAsync());
        Assert.Equal("changed", audit.Details["change"]);
        Assert.False(audit.Details.ContainsKey("from"));
        Assert.False(audit.Details.ContainsKey("to"));
        Assert.DoesNotContain(Secret, AuditText(audit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingASettingAgainReplacesIt_WhateverTheCaseOfItsNames_AndTheChainStaysIntact()
    {
        await _store.ChangeAsync(new PluginSettingChange("twilio", "From", false, null, "+447700900111"), "eng", "first");
        _time.Advance(TimeSpan.FromMinutes(1));
        await _store.ChangeAsync(new PluginSettingChange("Twilio", "from", false, "+447700900111", "+447700900222"), "eng2", "second");

        PluginSettingOverride stored = Assert.Single(await _store.ListAsync());
        Assert.Equal(("+447700900222", "eng2"), (stored.Value, stored.ChangedBy));
        Assert.Equal(2, (await AuditAsync()).Count);
        using var audit = new AuditLog(_database, _time);
        Assert.True((await audit.VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bell\a")]
    public async Task AChangeWithoutAUsableReasonIsRefusedAndNothingIsStored(string reason)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ChangeAsync(new PluginSettingChange("twilio", "From", false, null, "+447700900111"), "eng", reason));

        Assert.Empty(await _store.ListAsync());
        Assert.Empty(await AuditAsync());
    }

    private static string AuditText(AuditRecord record) =>
        string.Join("|", record.Action, record.Actor, record.Subject, record.Reason, record.Recipient, string.Join(",", record.Details.Select(static d => d.Key + "=" + d.Value)));
}
