namespace Relay.Plugins.Abstractions.Evidence;

/// <summary>
/// An evidence store's refusal or failure, with <see cref="Error"/> saying which so the caller can
/// decide: <see cref="EvidenceStoreError.Unavailable"/> is worth retrying, the others are not.
/// </summary>
public sealed class EvidenceStoreException : Exception
{
    public EvidenceStoreException()
        : this(EvidenceStoreError.Unavailable, "The evidence store failed.")
    {
    }

    public EvidenceStoreException(string message)
        : this(EvidenceStoreError.Unavailable, message)
    {
    }

    public EvidenceStoreException(string message, Exception innerException)
        : this(EvidenceStoreError.Unavailable, message, innerException)
    {
    }

    public EvidenceStoreException(EvidenceStoreError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public EvidenceStoreError Error { get; }

    /// <summary>Whether the same call may succeed later without anything else changing.</summary>
    public bool IsTransient => Error == EvidenceStoreError.Unavailable;
}
