namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>
/// Where recordings' segment files and signed manifests are kept. Objects are write-once: a put of a
/// key that exists succeeds only when the bytes are the same (so a retried upload is harmless) and
/// fails with <see cref="EvidenceStoreError.AlreadyExists"/> otherwise. Implementations are
/// thread-safe. Failures are <see cref="EvidenceStoreException"/>; an invalid argument is an
/// <see cref="ArgumentException"/>.
/// </summary>
public interface IEvidenceStore : IDisposable
{
    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>. Nothing is visible
    /// under the key until every byte is stored. When <paramref name="expectedSha256"/> (hex) is given
    /// and the bytes do not match, nothing is stored and <see cref="EvidenceStoreError.IntegrityMismatch"/> is thrown.
    /// </summary>
    /// <returns>What was stored, with its size and SHA-256.</returns>
    Task<EvidenceObjectInfo> PutAsync(EvidenceObjectKey key, Stream content, string? expectedSha256, CancellationToken cancellationToken);

    /// <summary>A stream over the object's bytes (the caller disposes it); <see cref="EvidenceStoreError.NotFound"/> if absent.</summary>
    Task<Stream> OpenReadAsync(EvidenceObjectKey key, CancellationToken cancellationToken);

    /// <summary>The object's size, hash and hold, or null if it is not there.</summary>
    Task<EvidenceObjectInfo?> GetInfoAsync(EvidenceObjectKey key, CancellationToken cancellationToken);

    /// <summary>Every object of a recording, ordered by name; empty when the recording has none.</summary>
    Task<IReadOnlyList<EvidenceObjectInfo>> ListAsync(string recordingId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the object, leaving a tombstone that records <paramref name="deletion"/> and when.
    /// <see cref="EvidenceStoreError.LegalHold"/> while its recording is held;
    /// <see cref="EvidenceStoreError.NotFound"/> if absent.
    /// </summary>
    Task DeleteAsync(EvidenceObjectKey key, EvidenceDeletion deletion, CancellationToken cancellationToken);

    /// <summary>Places (<paramref name="hold"/> true) or lifts a legal hold on a whole recording, including objects stored later.</summary>
    Task SetLegalHoldAsync(string recordingId, bool hold, CancellationToken cancellationToken);

    /// <summary>Whether the recording is under legal hold.</summary>
    Task<bool> IsUnderLegalHoldAsync(string recordingId, CancellationToken cancellationToken);

    /// <summary>Whether the store can be written and read now, with a reason a person can act on. Never throws.</summary>
    Task<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken);
}
