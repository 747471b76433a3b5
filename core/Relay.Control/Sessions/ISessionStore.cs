namespace Relay.Control.Sessions;

/// <summary>Sessions as the system of record keeps them (<see cref="SqliteSessionStore"/>).</summary>
public interface ISessionStore
{
    Task AddAsync(CallSession session, CancellationToken cancellationToken = default);

    Task<CallSession?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The session whose link token hashes to <paramref name="tokenHash"/>, in any state.</summary>
    Task<CallSession?> FindByTokenHashAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> sessions, newest first.</summary>
    Task<IReadOnlyList<CallSession>> ListAsync(int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// The caller's Start, atomically: if the token's session is waiting, its token unspent and not
    /// expired at <paramref name="at"/>, marks the token spent, stores the caller key's hash and makes
    /// the session live. The updated session, or null when nothing changed (then ask <see cref="FindByTokenHashAsync"/> why).
    /// </summary>
    Task<CallSession?> SpendTokenAsync(byte[] tokenHash, byte[] callerKeyHash, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Waiting -> Live without the token (a publisher with an API key); false if not waiting.</summary>
    Task<bool> MarkLiveAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Any state -> Ended, which revokes the caller key; false if it had already ended or is unknown.</summary>
    Task<bool> EndAsync(string id, DateTimeOffset at, string endedBy, CancellationToken cancellationToken = default);

    /// <summary>Records what the SMS provider said (state, message id, error); the send time stays as it was reserved.</summary>
    Task UpdateSmsAsync(string id, SessionSms sms, CancellationToken cancellationToken = default);

    /// <summary>Sessions not ended.</summary>
    int CountOpen();
}
