namespace Relay.Server.Sessions;

/// <summary>Where sessions are kept: in memory for now, a database later.</summary>
internal interface ISessionStore
{
    Task AddAsync(CallSession session, CancellationToken cancellationToken = default);

    Task<CallSession?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sessions, newest first.</summary>
    Task<IReadOnlyList<CallSession>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Waiting -> Active when the caller starts; false if the session is not waiting (already started, ended, unknown).</summary>
    Task<bool> MarkStartedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Any state -> Ended; false if it had already ended or is unknown.</summary>
    Task<bool> EndAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Sessions not ended.</summary>
    int CountOpen();
}
