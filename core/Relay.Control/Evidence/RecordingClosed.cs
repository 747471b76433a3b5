namespace Relay.Control.Evidence;

/// <summary>What a recording's signed manifest says, as the catalogue keeps it for search and review.</summary>
/// <param name="RecordingId">The recording.</param>
/// <param name="EndedAt">The manifest's end time.</param>
/// <param name="Segments">Segment files.</param>
/// <param name="Bytes">Their total size.</param>
/// <param name="ChainHash">The manifest's chain hash (hex).</param>
/// <param name="ManifestSha256">SHA-256 of the signed manifest file (hex).</param>
/// <param name="Gaps">Gaps in the recording (publisher reconnects, storage stalls).</param>
/// <param name="Recovered">Closed by crash recovery rather than by its stream's end.</param>
public sealed record RecordingClosed(
    Guid RecordingId,
    DateTimeOffset EndedAt,
    int Segments,
    long Bytes,
    string ChainHash,
    string ManifestSha256,
    int Gaps,
    bool Recovered);
