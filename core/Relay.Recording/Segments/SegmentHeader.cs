namespace Relay.Recording.Segments;

/// <summary>What a segment file says about itself: whose it is, where it goes, and its tracks.</summary>
/// <param name="RecordingId">The recording the segment belongs to.</param>
/// <param name="SegmentIndex">The segment's place in the recording, from 0.</param>
/// <param name="StartMicroseconds">When the segment was opened, microseconds since the Unix epoch (UTC).</param>
/// <param name="Tracks">The recording's tracks as known when the segment was opened.</param>
public sealed record SegmentHeader(Guid RecordingId, int SegmentIndex, long StartMicroseconds, IReadOnlyList<RecordedTrack> Tracks);
