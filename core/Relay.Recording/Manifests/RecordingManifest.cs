namespace Relay.Recording.Manifests;

/// <summary>
/// What a recording is, in a form anyone can check: its tracks, its segments in order with their
/// SHA-256 and a hash chain over them (so a removed, reordered or altered segment shows), its gaps,
/// and whether crash recovery closed it. Signed by the node's evidence key
/// (<see cref="EvidenceSigningKey"/>) over its canonical JSON (<see cref="ManifestJson"/>).
/// </summary>
/// <param name="RecordingId">The recording's id (its directory's name).</param>
/// <param name="SessionId">The session (evidence item) the stream belonged to.</param>
/// <param name="StartMicroseconds">When recording started (the first publisher attached), microseconds since the Unix epoch (UTC).</param>
/// <param name="EndMicroseconds">When it ended (the publisher went for good, or the stream was ended); null while recording.</param>
/// <param name="Tracks">The tracks, indexed as the packets' track indices.</param>
/// <param name="Segments">The segments in order.</param>
/// <param name="Gaps">Publisher reconnects and storage stalls, in order.</param>
/// <param name="DroppedPackets">Packets received and not recorded (storage stalls, write failures).</param>
/// <param name="Recovered">Whether the recording was closed by crash recovery rather than by its stream's end.</param>
/// <param name="ChainHash">The last segment's chain hash (lowercase hex), or 64 zeros for no segments.</param>
/// <param name="LocationTrailSha256">SHA-256 of the session's location trail, filled by the host; null if none.</param>
/// <param name="SigningKey">The evidence key's public key (SubjectPublicKeyInfo, base64) that signs this manifest.</param>
public sealed record RecordingManifest(
    Guid RecordingId,
    string SessionId,
    long StartMicroseconds,
    long? EndMicroseconds,
    IReadOnlyList<RecordedTrack> Tracks,
    IReadOnlyList<ManifestSegment> Segments,
    IReadOnlyList<RecordingGap> Gaps,
    long DroppedPackets,
    bool Recovered,
    string ChainHash,
    string? LocationTrailSha256,
    string? SigningKey)
{
    /// <summary>The format name written into the JSON.</summary>
    public const string Format = "relay-recording-manifest/1";
}
