namespace Relay.Control.Evidence;

/// <summary>A refused catalogue change, with a message a person can act on.</summary>
public sealed class EvidenceCatalogueException : Exception
{
    public EvidenceCatalogueException()
    {
    }

    public EvidenceCatalogueException(string message)
        : base(message)
    {
    }

    public EvidenceCatalogueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EvidenceCatalogueException(EvidenceCatalogueError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The field the message is about (for a problem's "errors"), when it is about one.</summary>
    public string? Field { get; init; }

    public EvidenceCatalogueError Error { get; }
}
