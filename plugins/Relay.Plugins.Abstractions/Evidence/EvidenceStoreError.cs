namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>Why an evidence store refused or failed an operation.</summary>
public enum EvidenceStoreError
{
    /// <summary>The store cannot be reached or cannot write now (disk gone, read-only, network, 5xx). Retry later.</summary>
    Unavailable,

    /// <summary>No object (or recording) with that key.</summary>
    NotFound,

    /// <summary>The recording is under legal hold; deleting is refused until the hold is lifted.</summary>
    LegalHold,

    /// <summary>An object with that key already exists with different content. Evidence is write-once.</summary>
    AlreadyExists,

    /// <summary>The bytes received do not match the SHA-256 (or length) the caller gave; nothing was stored.</summary>
    IntegrityMismatch,
}
