namespace Relay.Recording.Upload;

/// <summary>What the upload spool holds and how the store has been answering, for metrics and health.</summary>
/// <param name="PendingObjects">Objects spooled and not yet confirmed by the store.</param>
/// <param name="PendingBytes">Their total size.</param>
/// <param name="QuarantinedObjects">Objects the store refused for good (a different object under the key, or a corrupt spool copy); kept locally for a person to resolve.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success; 0 when the store is keeping up.</param>
/// <param name="LastError">The most recent failure, or null.</param>
/// <param name="NextAttemptAt">When the next attempt is due after a failure, or null when not backing off.</param>
public sealed record EvidenceUploadStatus(
    int PendingObjects,
    long PendingBytes,
    int QuarantinedObjects,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? NextAttemptAt);
