namespace Relay.Control.Evidence;

/// <summary>One recording of an item (a stream on one node, between publisher attach and the stream's end).</summary>
/// <param name="RecordingId">The recording's id (the evidence store's recording id, as a "D" format GUID).</param>
/// <param name="NodeId">The node that recorded it.</param>
/// <param name="StartedAt">When it began.</param>
/// <param name="Closed">What its signed manifest says; null while it is recording.</param>
/// <param name="Store">The evidence store holding all of it; null until uploaded.</param>
/// <param name="StoredAt">When the upload was confirmed.</param>
public sealed record EvidenceRecording(
    Guid RecordingId,
    string NodeId,
    DateTimeOffset StartedAt,
    RecordingClosed? Closed,
    string? Store,
    DateTimeOffset? StoredAt);
