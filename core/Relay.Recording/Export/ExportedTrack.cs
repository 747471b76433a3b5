using Relay.Media.Streams;
using Relay.Recording.Depacketizers;

namespace Relay.Recording.Export;

/// <summary>What became of one recorded track in an export.</summary>
/// <param name="TrackIndex">The recorded track's index.</param>
/// <param name="Codec">Its codec.</param>
/// <param name="Included">Whether the file has the track; when false, <paramref name="Reason"/> says why.</param>
/// <param name="Reason">Why the track was left out, or null.</param>
/// <param name="Frames">Frames written.</param>
/// <param name="Start">When the track's first frame plays, from the start of the file.</param>
/// <param name="Duration">How long the track plays, from its first frame to the end of its last (gaps included).</param>
/// <param name="Width">Video width in pixels (0 for audio).</param>
/// <param name="Height">Video height in pixels (0 for audio).</param>
/// <param name="Counters">What the depacketizer received and dropped, by reason.</param>
/// <param name="Timelines">Publisher connections (SSRC runs) in the track; more than one means reconnect gaps.</param>
public sealed record ExportedTrack(
    byte TrackIndex,
    MediaCodec Codec,
    bool Included,
    string? Reason,
    long Frames,
    TimeSpan Start,
    TimeSpan Duration,
    int Width,
    int Height,
    DepacketizerCounters Counters,
    IReadOnlyList<RtpTimeline> Timelines);
