using Relay.Recording.Manifests;

namespace Relay.Recording.Segments;

/// <summary>What a <see cref="SegmentWriter"/> reports, in order, from its writer task.</summary>
internal interface ISegmentSink
{
    void OnTracksChanged(IReadOnlyList<RecordedTrack> tracks);

    void OnSegmentClosed(SegmentInfo segment);

    void OnGap(RecordingGap gap);

    /// <summary>The writer has finished: everything appended is written and its last segment closed.</summary>
    void OnCompleted(long endMicroseconds);
}
