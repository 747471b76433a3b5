using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Relay.Recording.Segments;

/// <summary>
/// Closes a segment file its writer did not close (the process was killed): cuts it after its last
/// whole record, appends the close record, flushes it to disk and hashes it.
/// </summary>
public static class SegmentRecovery
{
    /// <summary>
    /// Recovers (or, if already closed, only hashes) the segment at <paramref name="path"/>. Null if it
    /// has no usable header: nothing in it can be read, and it is left as it is.
    /// </summary>
    public static SegmentInfo? Recover(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        SegmentReader reader = SegmentReader.FromBytes(bytes);
        SegmentHeader? header = reader.Header;
        if (header is null)
        {
            return null;
        }

        string fileName = Path.GetFileName(path);
        if (reader.Status == SegmentReadStatus.Closed)
        {
            return new SegmentInfo(header.SegmentIndex, fileName, header.StartMicroseconds, reader.CloseMicroseconds!.Value, bytes.Length, reader.PacketCount, SHA256.HashData(bytes));
        }

        long keep = reader.RecordsEnd;
        long discarded = bytes.Length - keep;
        long close = reader.LastArrivalMicroseconds ?? header.StartMicroseconds;
        byte[] closeRecord = new byte[SegmentFormat.CloseRecordLength];
        SegmentFormat.WriteRecordHeader(closeRecord, close, 0, SegmentFormat.CloseKind, SegmentFormat.CloseDataLength);
        BinaryPrimitives.WriteInt64LittleEndian(closeRecord.AsSpan(SegmentFormat.RecordHeaderLength), reader.PacketCount);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            file.SetLength(keep);
            file.Seek(keep, SeekOrigin.Begin);
            file.Write(closeRecord);
            file.Flush(flushToDisk: true);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(bytes, 0, (int)keep);
        hash.AppendData(closeRecord);
        return new SegmentInfo(
            header.SegmentIndex, fileName, header.StartMicroseconds, close, keep + closeRecord.Length, reader.PacketCount, hash.GetHashAndReset(), Recovered: true, DiscardedBytes: discarded);
    }
}
