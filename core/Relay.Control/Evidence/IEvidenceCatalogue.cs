namespace Relay.Control.Evidence;

/// <summary>
/// The evidence catalogue: one evidence item per session (its id is the session id), the recordings
/// that make it up (several when the publisher reconnected, on this node or another), where each is
/// stored, and its retention (category, next review, legal hold). The system of record for what is
/// held; the bytes are in the evidence store.
/// </summary>
public interface IEvidenceCatalogue
{
    /// <summary>A recording of a session began (creates the session's item on its first recording).</summary>
    Task RecordingStartedAsync(RecordingStarted recording, CancellationToken cancellationToken = default);

    /// <summary>A recording's manifest was signed (its stream ended, or crash recovery closed it).</summary>
    Task RecordingClosedAsync(RecordingClosed recording, CancellationToken cancellationToken = default);

    /// <summary>Every object of the recording is confirmed in the evidence store named <paramref name="store"/>.</summary>
    Task RecordingStoredAsync(Guid recordingId, string store, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The item with its recordings, or null if there is none (never recorded, or disposed).</summary>
    Task<EvidenceItem?> FindAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Every item held for the caller number <paramref name="phone"/> (E.164), oldest first (subject access).</summary>
    Task<IReadOnlyList<EvidenceItem>> FindByPhoneAsync(string phone, CancellationToken cancellationToken = default);
}
