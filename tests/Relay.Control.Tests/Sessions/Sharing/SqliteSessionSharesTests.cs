using Relay.Control.Data;
using Relay.Control.Sessions;
using Relay.Control.Sessions.Sharing;

namespace Relay.Control.Tests.Sessions.Sharing;

public sealed class SqliteSessionSharesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);
    private readonly SessionDatabase _database = new();
    private SqliteSessionShares _shares = null!;

    public async Task InitializeAsync() => _shares = await OpenAsync();

    public async Task DisposeAsync() => await _database.DeleteAsync();

    private async Task<SqliteSessionShares> OpenAsync()
    {
        var database = new RelayDatabase(_database.Path, [SessionSchema.Module, SharingSchema.Module]);
        await database.MigrateAsync();
        return new SqliteSessionShares(database);
    }

    [Fact]
    public async Task AShareReadsBackAsStored_AfterTheStoreIsOpenedAgain()
    {
        var share = new SessionShare("s1", "pc2", "sgt1", s_now.AddTicks(17), "ARV 4 attending");

        Assert.True(await _shares.ShareAsync(share));
        SqliteSessionShares reopened = await OpenAsync();

        SessionShare found = Assert.Single(await reopened.ListAsync("s1"));
        Assert.Equal(share with { SharedAt = s_now.AddTicks(10) }, found); // kept to the microsecond
        Assert.True(await reopened.IsSharedWithAsync("s1", "pc2"));
        Assert.Equal(["s1"], await reopened.SessionsSharedWithAsync("pc2"));
    }

    [Fact]
    public async Task SharingTwiceKeepsTheFirstShare_AndSaysNothingChanged()
    {
        Assert.True(await _shares.ShareAsync(new SessionShare("s1", "pc2", "sgt1", s_now, "first")));
        Assert.False(await _shares.ShareAsync(new SessionShare("s1", "PC2", "pc1", s_now.AddMinutes(1), "second")));

        SessionShare only = Assert.Single(await _shares.ListAsync("s1"));
        Assert.Equal("first", only.Reason);
    }

    [Fact]
    public async Task NamesMatchRegardlessOfCase_AsSignInNamesAreUniqueRegardlessOfCase()
    {
        await _shares.ShareAsync(new SessionShare("s1", "pc2", "sgt1", s_now, "why"));

        Assert.True(await _shares.IsSharedWithAsync("s1", "PC2"));
        Assert.Contains("s1", await _shares.SessionsSharedWithAsync("Pc2"));
    }

    [Fact]
    public async Task UnsharingRemovesOnlyThatOfficersShareOfThatSession()
    {
        await _shares.ShareAsync(new SessionShare("s1", "pc2", "sgt1", s_now, "why"));
        await _shares.ShareAsync(new SessionShare("s1", "pc3", "sgt1", s_now, "why"));
        await _shares.ShareAsync(new SessionShare("s2", "pc2", "sgt1", s_now, "why"));

        Assert.True(await _shares.UnshareAsync("s1", "pc2"));
        Assert.False(await _shares.UnshareAsync("s1", "pc2"));

        Assert.False(await _shares.IsSharedWithAsync("s1", "pc2"));
        Assert.True(await _shares.IsSharedWithAsync("s1", "pc3"));
        Assert.Equal(["s2"], await _shares.SessionsSharedWithAsync("pc2"));
    }
}
