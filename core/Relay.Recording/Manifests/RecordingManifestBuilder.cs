using Relay.Recording.Segments;

namespace Relay.Recording.Manifests;

/// <summary>A recording's manifest as its segments close: the chain grows one link per segment.</summary>
internal sealed class RecordingManifestBuilder(Guid recordingId, string sessionId, long startMicroseconds)
{
    private readonly List<ManifestSegment> _segments = [];
    private readonly List<RecordingGap> _gaps = [];
    private byte[] _chain = new byte[HashChain.HashLength];

    public IReadOnlyList<RecordedTrack> Tracks { get; set; } = [];

    public long StartMicroseconds { get; set; } = startMicroseconds;

    public int SegmentCount => _segments.Count;

    public void AddSegment(SegmentInfo segment)
    {
        _chain = HashChain.Next(_chain, segment.Sha256);
        _segments.Add(new ManifestSegment(
            segment.Index,
            segment.FileName,
            segment.StartMicroseconds,
            segment.EndMicroseconds,
            segment.Length,
            segment.PacketCount,
            HashChain.ToHex(segment.Sha256),
            HashChain.ToHex(_chain),
            segment.Recovered,
            segment.DiscardedBytes));
    }

    public void AddGap(RecordingGap gap) => _gaps.Add(gap);

    public RecordingManifest Build(long? endMicroseconds, long droppedPackets, bool recovered, string? locationTrailSha256) => new(
        recordingId,
        sessionId,
        StartMicroseconds,
        endMicroseconds,
        [.. Tracks],
        [.. _segments],
        [.. _gaps],
        droppedPackets,
        recovered,
        _segments.Count == 0 ? HashChain.Empty : HashChain.ToHex(_chain),
        locationTrailSha256,
        null);
}
