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

    public Task<bool> UpdateAsync(CallSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        while (_sessions.TryGetValue(session.Id, out CallSession? current))
        {
            if (_sessions.TryUpdate(session.Id, session, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

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
}
