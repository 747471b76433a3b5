namespace Relay.Recording.Export;

/// <summary>What an export wrote: the container, where the file starts in wall-clock time, how long it plays, and each track's account.</summary>
/// <param name="Container">WebM or MP4.</param>
/// <param name="StartTime">Wall-clock time (the relay's clock at arrival) of the file's time zero, or null if nothing was written.</param>
/// <param name="Duration">How long the file plays.</param>
/// <param name="Tracks">One entry per recorded track, included or not.</param>
/// <param name="UnknownTrackPackets">Packets whose track index matched no recorded track.</param>
public sealed record ExportReport(
    ExportContainer Container,
    DateTimeOffset? StartTime,
    TimeSpan Duration,
    IReadOnlyList<ExportedTrack> Tracks,
    long UnknownTrackPackets);
