namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>
/// Optional capability of an <see cref="IEvidenceStore"/> that keeps objects as files on this machine:
/// it can store a closed local file by giving it a second name inside the store (a hard link) instead
/// of copying its bytes. The upload spool checks for it (<c>store is IEvidenceStoreFileLinking</c>) and
/// puts a copy through <see cref="IEvidenceStore.PutAsync"/> whenever it is absent or declines.
/// </summary>
/// <remarks>
/// Recording every stream as evidence wrote each segment's bytes twice and fsynced them twice on one
/// disk (the recording, then the store's copy); a link stores the same durable bytes for the cost of
/// a directory entry (issue 5, bench/RESULTS.md "The evidence store taking spooled segments by hard
/// link"). The file and the object then share one inode: the store makes it read-only, and the caller
/// must never write the file again.
/// </remarks>
public interface IEvidenceStoreFileLinking
{
    /// <summary>
    /// Stores the closed file at <paramref name="path"/> under <paramref name="key"/> by linking it into
    /// the store, with the guarantees of <see cref="IEvidenceStore.PutAsync"/>: nothing is visible under
    /// the key unless the file's bytes hash to <paramref name="expectedSha256"/>
    /// (<see cref="EvidenceStoreError.IntegrityMismatch"/> otherwise), an existing object is never
    /// replaced (the same bytes: its info; different bytes: <see cref="EvidenceStoreError.AlreadyExists"/>),
    /// and the object is durable when this returns. The file must already be durable (fsynced) and
    /// must not be written again; it becomes read-only.
    /// </summary>
    /// <param name="key">Where to store it.</param>
    /// <param name="path">An absolute path of a closed local file.</param>
    /// <param name="expectedSha256">Lower-case or upper-case hex SHA-256 the file's bytes must have.</param>
    /// <param name="cancellationToken">Cancels before the object is placed.</param>
    /// <returns>
    /// What was stored; or null, with nothing stored or changed, when the store cannot link this file
    /// (another file system, a platform or file system without hard links, linking turned off): the
    /// caller then puts a copy.
    /// </returns>
    Task<EvidenceObjectInfo?> TryLinkFileAsync(EvidenceObjectKey key, string path, string expectedSha256, CancellationToken cancellationToken);
}
