using Relay.Server.Sessions;

namespace Relay.Server.Tests.Sessions;

public sealed class InMemorySessionStoreTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MarkStarted_MovesAWaitingSessionToActiveOnce()
    {
        var store = new InMemorySessionStore();
        await store.AddAsync(Session("a"));

        Assert.True(await store.MarkStartedAsync("a", s_now));
        Assert.False(await store.MarkStartedAsync("a", s_now.AddMinutes(1)));

        CallSession session = (await store.FindAsync("a"))!;
        Assert.Equal(SessionState.Active, session.State);
        Assert.Equal(s_now, session.StartedAt);
    }

    [Fact]
    public async Task AnEndedSession_IsNeverStartedAgain()
    {
        var store = new InMemorySessionStore();
        await store.AddAsync(Session("a"));

        Assert.True(await store.EndAsync("a", s_now));
        Assert.False(await store.EndAsync("a", s_now));
        Assert.False(await store.MarkStartedAsync("a", s_now));

        Assert.Equal(SessionState.Ended, (await store.FindAsync("a"))!.State);
        Assert.Equal(0, store.CountOpen());
    }

    [Fact]
    public async Task UnknownSessions_AreNotFoundAndNotChanged()
    {
        var store = new InMemorySessionStore();

        Assert.Null(await store.FindAsync("nope"));
        Assert.False(await store.MarkStartedAsync("nope", s_now));
        Assert.False(await store.EndAsync("nope", s_now));
    }

    [Fact]
    public async Task List_IsNewestFirst()
    {
        var store = new InMemorySessionStore();
        await store.AddAsync(Session("old") with { CreatedAt = s_now });
        await store.AddAsync(Session("new") with { CreatedAt = s_now.AddMinutes(5) });

        Assert.Equal(["new", "old"], (await store.ListAsync()).Select(s => s.Id));
    }

    private static CallSession Session(string id) => new()
    {
        Id = id,
        Incident = "INC-1",
        Phone = "+447700900123",
        Mode = SessionMode.Video,
        Retention = "standard",
        CreatedAt = s_now,
        CreatedBy = "cad",
        CallerTokenHash = CallerToken.Hash("token"),
        CallerTokenExpiresAt = s_now.AddMinutes(30),
    };
}
