namespace Relay.Control.Location;

/// <summary>
/// Every validated fix of every session, kept durably: the evidence the recordings' location trails
/// (and location-only sessions' trails) are written from.
/// </summary>
public interface ILocationFixLog
{
    /// <summary>Queues a fix to be written; never blocks or throws (the caller is the live location socket).</summary>
    void Append(string sessionId, LocationFix fix);

    /// <summary>Writes every fix appended before the call, on the calling thread (no thread-pool work), before returning.</summary>
    void Flush();

    /// <summary>As <see cref="ReadAsync"/>, on the calling thread.</summary>
    IReadOnlyList<LocationFix> Read(string sessionId, DateTimeOffset from, DateTimeOffset to);

    /// <summary>The session's fixes received between <paramref name="from"/> and <paramref name="to"/> (inclusive), in order received.</summary>
    Task<IReadOnlyList<LocationFix>> ReadAsync(string sessionId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Sessions with fixes whose trail has not been kept on its own (<see cref="MarkTrailKeptAsync"/>), oldest first.</summary>
    Task<IReadOnlyList<string>> ListSessionsWithoutKeptTrailAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Records that the session's whole trail is kept as evidence recording <paramref name="recordingId"/>.</summary>
    Task MarkTrailKeptAsync(string sessionId, Guid recordingId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
