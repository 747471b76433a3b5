using System.Collections;
using Relay.Recording.Segments;

namespace Relay.Recording.Bundles;

/// <summary>
/// A recording's packets read from its stored segments one segment at a time, in manifest order, as
/// often as the exporter enumerates them (<see cref="Export.RecordingExporter"/> reads them once per
/// pass). Only the segment being read is held, so memory does not grow with the recording's length.
/// </summary>
/// <remarks>
/// The exporter is synchronous and reads packet by packet; a segment is opened through
/// <see cref="IRecordingObjects"/> only at segment boundaries, which is where this waits for the store.
/// A segment the store no longer gives (it was held when the bundle copied it) is an error, not a
/// silent gap in the playable file.
/// </remarks>
internal sealed class StoredSegmentPackets(IRecordingObjects recording, IReadOnlyList<string> segments, CancellationToken cancellationToken)
    : IEnumerable<RecordedPacket>
{
    public IEnumerator<RecordedPacket> GetEnumerator()
    {
        byte[]? bytes = null;
        foreach (string name in segments)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Let the last segment go before the next is read: one segment held, not two.
            bytes = null;
            bytes = Read(name);
            foreach (RecordedPacket packet in SegmentReader.FromBytes(bytes).ReadPackets())
            {
                yield return packet;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private byte[] Read(string name)
    {
        Stream stream = recording.OpenReadAsync(name, cancellationToken).GetAwaiter().GetResult()
            ?? throw new InvalidDataException($"{name} of recording {recording.RecordingId:D} was held when the bundle copied it and is not now.");
        using (stream)
        {
            using var buffer = stream.CanSeek ? new MemoryStream(checked((int)stream.Length)) : new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
        }
    }
}
