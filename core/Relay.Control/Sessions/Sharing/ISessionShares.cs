namespace Relay.Control.Sessions.Sharing;

/// <summary>Which officers each session is shared with, as the system of record keeps it (<see cref="SqliteSessionShares"/>).</summary>
public interface ISessionShares
{
    /// <summary>Shares the session with <see cref="SessionShare.Officer"/>; false (and nothing changed) when it already was.</summary>
    Task<bool> ShareAsync(SessionShare share, CancellationToken cancellationToken = default);

    /// <summary>Stops sharing the session with <paramref name="officer"/>; false when it was not shared with them.</summary>
    Task<bool> UnshareAsync(string sessionId, string officer, CancellationToken cancellationToken = default);

    /// <summary>Whom the session is shared with, in the order it was shared.</summary>
    Task<IReadOnlyList<SessionShare>> ListAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Whether the session is shared with <paramref name="officer"/> (sign-in names are unique regardless of case, so compare so).</summary>
    Task<bool> IsSharedWithAsync(string sessionId, string officer, CancellationToken cancellationToken = default);

    /// <summary>The ids of every session shared with <paramref name="officer"/>.</summary>
    Task<IReadOnlySet<string>> SessionsSharedWithAsync(string officer, CancellationToken cancellationToken = default);
}
