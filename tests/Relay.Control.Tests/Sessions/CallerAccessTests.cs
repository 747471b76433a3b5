using System.Net;
using Relay.Control.Sessions;
using Relay.Testing.Time;

namespace Relay.Control.Tests.Sessions;

public sealed class CallerAccessTests : IAsyncLifetime
{
    private static readonly IPAddress s_caller = IPAddress.Parse("203.0.113.7");
    private readonly SessionDatabase _database = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private SqliteSessionStore _store = null!;
    private CallerAccess _access = null!;

    public async Task InitializeAsync()
    {
        _store = await _database.OpenStoreAsync();
        _access = new CallerAccess(_store, new CallerAccessOptions { FailedGuessLimit = 3, FailedGuessWindow = TimeSpan.FromMinutes(10) }, _time);
    }

    public async Task DisposeAsync() => await _database.DeleteAsync();

    [Fact]
    public async Task CheckingTheLink_DoesNotSpendIt()
    {
        string token = await CreateAsync();

        CallerLinkCheck first = await _access.CheckLinkAsync(token, s_caller);
        CallerLinkCheck second = await _access.CheckLinkAsync(token, s_caller);
        CallerStart start = await _access.StartAsync(token, s_caller);

        Assert.Equal(CallerLinkStatus.Valid, first.Status);
        Assert.Equal(CallerLinkStatus.Valid, second.Status);
        Assert.Equal(CallerLinkStatus.Valid, start.Status);
    }

    [Fact]
    public async Task TheTokenStartsOnce_ThenIsSpent()
    {
        string token = await CreateAsync();

        CallerStart first = await _access.StartAsync(token, s_caller);
        CallerStart second = await _access.StartAsync(token, s_caller);

        Assert.Equal(CallerLinkStatus.Valid, first.Status);
        Assert.True(CallerSecret.IsWellFormed(first.CallerKey));
        Assert.Equal(CallerLinkStatus.Spent, second.Status);
        Assert.Null(second.CallerKey);
        Assert.Equal(CallerLinkStatus.Spent, (await _access.CheckLinkAsync(token, s_caller)).Status);
    }

    [Fact]
    public async Task TheTokenExpiresAtItsLifetime()
    {
        string token = await CreateAsync();

        _time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(10));
        CallerLinkStatus justBefore = (await _access.CheckLinkAsync(token, s_caller)).Status;
        _time.Advance(TimeSpan.FromTicks(10));
        CallerLinkStatus atExpiry = (await _access.CheckLinkAsync(token, s_caller)).Status;
        CallerStart start = await _access.StartAsync(token, s_caller);

        Assert.Equal(CallerLinkStatus.Valid, justBefore);
        Assert.Equal(CallerLinkStatus.Expired, atExpiry);
        Assert.Equal(CallerLinkStatus.Expired, start.Status);
    }

    [Fact]
    public async Task ASpentTokenStaysSpentAfterItsExpiry_SoTheCallerIsToldItWasUsed()
    {
        string token = await CreateAsync();
        await _access.StartAsync(token, s_caller);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(CallerLinkStatus.Spent, (await _access.CheckLinkAsync(token, s_caller)).Status);
    }

    [Fact]
    public async Task AnEndedSessionsLinkSaysEnded()
    {
        string token = await CreateAsync("s1");
        await _store.EndAsync("s1", _time.GetUtcNow(), "cad");

        Assert.Equal(CallerLinkStatus.Ended, (await _access.CheckLinkAsync(token, s_caller)).Status);
        Assert.Equal(CallerLinkStatus.Ended, (await _access.StartAsync(token, s_caller)).Status);
    }

    [Fact]
    public async Task TheCallerKeyAuthenticatesForItsSessionOnly_UntilTheSessionEnds()
    {
        string token = await CreateAsync("s1", SessionMode.Location);
        await CreateAsync("s2");
        string key = (await _access.StartAsync(token, s_caller)).CallerKey!;

        CallerGrant? grant = await _access.AuthenticateAsync("s1", key, CancellationToken.None);
        CallerGrant? other = await _access.AuthenticateAsync("s2", key, CancellationToken.None);
        CallerGrant? withToken = await _access.AuthenticateAsync("s1", token, CancellationToken.None);
        CallerGrant? tampered = await _access.AuthenticateAsync("s1", key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), CancellationToken.None);
        await _store.EndAsync("s1", _time.GetUtcNow(), "caller");
        CallerGrant? afterEnd = await _access.AuthenticateAsync("s1", key, CancellationToken.None);

        Assert.Equal(new CallerGrant("s1", SessionMode.Location, true), grant);
        Assert.Null(other);
        Assert.Null(withToken);
        Assert.Null(tampered);
        Assert.Null(afterEnd);
        Assert.NotNull(await _access.FindByCallerKeyAsync("s1", key)); // still recognised, so WHIP can say "ended"
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u0000")]
    [InlineData("ÅAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task MalformedKeysAndTokensAreRefused(string text)
    {
        await CreateAsync("s1");

        Assert.Null(await _access.AuthenticateAsync("s1", text, CancellationToken.None));
        Assert.Equal(CallerLinkStatus.Unknown, (await _access.CheckLinkAsync(text, s_caller)).Status);
    }

    [Fact]
    public async Task FailedGuessesLimitTheAddress_EvenForARightToken_UntilTheOldestLeavesTheWindow()
    {
        string token = await CreateAsync();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(CallerLinkStatus.Unknown, (await _access.CheckLinkAsync(CallerSecret.Create(), s_caller)).Status);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        CallerLinkCheck limited = await _access.CheckLinkAsync(token, s_caller);
        CallerStart limitedStart = await _access.StartAsync(token, s_caller);
        CallerLinkCheck otherAddress = await _access.CheckLinkAsync(token, IPAddress.Parse("203.0.113.8"));
        _time.Advance(TimeSpan.FromMinutes(7));
        CallerLinkCheck freed = await _access.CheckLinkAsync(token, s_caller);

        Assert.Equal(CallerLinkStatus.Limited, limited.Status);
        Assert.Null(limited.Session);
        Assert.Equal(TimeSpan.FromMinutes(7), limited.RetryAfter);
        Assert.Equal(CallerLinkStatus.Limited, limitedStart.Status);
        Assert.Null(limitedStart.CallerKey);
        Assert.Equal(CallerLinkStatus.Valid, otherAddress.Status);
        Assert.Equal(CallerLinkStatus.Valid, freed.Status);
    }

    [Fact]
    public async Task RightTokensAndSpentOnesAreNotCountedAsGuesses()
    {
        string token = await CreateAsync();
        await _access.StartAsync(token, s_caller);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(CallerLinkStatus.Spent, (await _access.CheckLinkAsync(token, s_caller)).Status);
        }
    }

    [Fact]
    public async Task IPv6GuessesCountByTheirSlash64()
    {
        string token = await CreateAsync();
        for (int i = 1; i <= 3; i++)
        {
            await _access.CheckLinkAsync(CallerSecret.Create(), IPAddress.Parse($"2001:db8:1:2::{i}"));
        }

        Assert.Equal(CallerLinkStatus.Limited, (await _access.CheckLinkAsync(token, IPAddress.Parse("2001:db8:1:2:ffff::9"))).Status);
        Assert.Equal(CallerLinkStatus.Valid, (await _access.CheckLinkAsync(token, IPAddress.Parse("2001:db8:1:3::1"))).Status);
    }

    [Fact]
    public void AnIPv4MappedAddressCountsAsItsIPv4Address()
    {
        Assert.Equal(FailedGuessLimiter.ClientKey(IPAddress.Parse("203.0.113.7")), FailedGuessLimiter.ClientKey(IPAddress.Parse("::ffff:203.0.113.7")));
    }

    private async Task<string> CreateAsync(string? id = null, SessionMode mode = SessionMode.Video)
    {
        string token = CallerSecret.Create();
        await _store.AddAsync(SessionDatabase.NewSession(token, _time.GetUtcNow(), id: id, mode: mode));
        return token;
    }
}
