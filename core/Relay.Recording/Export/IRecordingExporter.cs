namespace Relay.Recording.Export;

/// <summary>Turns a recording's RTP into a playable file, with our own depacketizers and muxers (no transcoding).</summary>
public interface IRecordingExporter
{
    /// <summary>
    /// Writes <paramref name="packets"/> (in arrival order) of <paramref name="tracks"/> to
    /// <paramref name="output"/> (seekable) as <paramref name="container"/>. Tracks the container
    /// cannot hold, or with no decodable frame, are left out and the report says why. Bad packets are
    /// counted in the report, never thrown. <paramref name="packets"/> may be enumerated more than once
    /// (an exporter that streams reads it again rather than hold the frames) and must give the same
    /// packets each time.
    /// </summary>
    ExportReport Export(IReadOnlyList<RecordedTrack> tracks, IEnumerable<RecordedPacket> packets, Stream output, ExportContainer container);
}
