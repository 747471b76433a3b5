namespace Relay.Server.Sessions;

/// <summary>Where sessions are kept: in memory for now, a database later.</summary>
internal interface ISessionStore
{
    Task AddAsync(CallSession session, CancellationToken cancellationToken = default);

    Task<CallSession?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sessions, newest first.</summary>
    Task<IReadOnlyList<CallSession>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a session with an updated copy; false if there is no session with its id.</summary>
    Task<bool> UpdateAsync(CallSession session, CancellationToken cancellationToken = default);

    /// <summary>Sessions not ended.</summary>
    int CountOpen();
}
