namespace Relay.Control.Evidence;

/// <summary>Why the catalogue refused a change.</summary>
public enum EvidenceCatalogueError
{
    /// <summary>No such item, recording, session or category.</summary>
    NotFound,

    /// <summary>An argument is not valid (empty reason, unknown category, a date in the past...).</summary>
    Invalid,

    /// <summary>The item's state does not allow it (already held, not held, held and so not disposable).</summary>
    Conflict,
}
