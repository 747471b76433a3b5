namespace Relay.Control.Evidence;

/// <summary>Everything held for one session, as the catalogue knows it.</summary>
/// <param name="Id">The item's id: the session's id.</param>
/// <param name="Incident">The force's incident reference.</param>
/// <param name="Phone">The caller's number (E.164).</param>
/// <param name="CreatedBy">The officer that created the session.</param>
/// <param name="CreatedAt">When the item was created (its first recording began).</param>
/// <param name="Category">The retention category's id.</param>
/// <param name="NextReviewAt">When it must next be reviewed (disposal follows the category's rule then).</param>
/// <param name="LegalHold">The hold that blocks disposal, or null.</param>
/// <param name="Recordings">Its recordings, oldest first.</param>
public sealed record EvidenceItem(
    string Id,
    string Incident,
    string Phone,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string Category,
    DateTimeOffset NextReviewAt,
    LegalHold? LegalHold,
    IReadOnlyList<EvidenceRecording> Recordings);
