using System.Collections.Concurrent;

namespace Relay.Server.Sessions;

/// <summary>Sessions in this process's memory: lost on restart; for a single node until the database store lands.</summary>
internal sealed class InMemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, CallSession> _sessions = new(StringComparer.Ordinal);

    public Task AddAsync(CallSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_sessions.TryAdd(session.Id, session))
        {
            throw new InvalidOperationException($"A session with id '{session.Id}' already exists.");
        }

        return Task.CompletedTask;
    }

    public Task<CallSession?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_sessions.TryGetValue(id, out CallSession? session) ? session : null);

    public Task<IReadOnlyList<CallSession>> ListAsync(CancellationToken cancellationToken = default)
    {
        var sessions = new List<CallSession>(_sessions.Values);
        sessions.Sort(static (a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
        return Task.FromResult<IReadOnlyList<CallSession>>(sessions);
    }

    public Task<bool> MarkStartedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(Transition(id, static s => s.State == SessionState.Waiting, s => s with { State = SessionState.Active, StartedAt = at }));

    public Task<bool> EndAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(Transition(id, static s => s.State != SessionState.Ended, s => s with { State = SessionState.Ended, EndedAt = at }));

    public int CountOpen()
    {
        int open = 0;
        foreach (KeyValuePair<string, CallSession> entry in _sessions)
        {
            if (entry.Value.State != SessionState.Ended)
            {
                open++;
            }
        }

        return open;
    }

    // Compare-and-swap, so two transitions racing (a start and an end) cannot undo each other.
    private bool Transition(string id, Func<CallSession, bool> allowed, Func<CallSession, CallSession> change)
    {
        while (_sessions.TryGetValue(id, out CallSession? current))
        {
            if (!allowed(current))
            {
                return false;
            }

            if (_sessions.TryUpdate(id, change(current), current))
            {
                return true;
            }
        }

        return false;
    }
}
