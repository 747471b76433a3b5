using System.Buffers.Binary;

namespace Relay.Recording.Segments;

/// <summary>
/// Reads a segment file (<see cref="SegmentFormat"/>) into <see cref="RecordedPacket"/>s in the order
/// they were written (arrival order). Hostile or damaged files are reported, never thrown: the
/// packets before the damage are read, and <see cref="Status"/> and <see cref="Error"/> say what
/// was found and where.
/// </summary>
public sealed class SegmentReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _headerLength;
    private readonly bool[] _knownTracks = new bool[256];

    private SegmentReader(ReadOnlyMemory<byte> data)
    {
        _data = data;
        if (!SegmentFormat.TryReadHeader(data.Span, out SegmentHeader header, out _headerLength, out string? error))
        {
            Status = SegmentReadStatus.BadHeader;
            Error = error;
            return;
        }

        Header = header;
        foreach (RecordedTrack track in header.Tracks)
        {
            _knownTracks[track.Index] = true;
        }

        Scan();
    }

    /// <summary>The header; null when <see cref="Status"/> is <see cref="SegmentReadStatus.BadHeader"/>.</summary>
    public SegmentHeader? Header { get; }

    public SegmentReadStatus Status { get; private set; }

    /// <summary>What is wrong, with the byte offset; null when the segment is <see cref="SegmentReadStatus.Closed"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>The whole records' packets (the close record not counted).</summary>
    public long PacketCount { get; private set; }

    /// <summary>Bytes of the header and the whole records, where a recovered segment is cut (the close record excluded).</summary>
    public long RecordsEnd { get; private set; }

    /// <summary>The file's length.</summary>
    public long Length => _data.Length;

    /// <summary>When the segment was closed (from its close record), or null if it was not.</summary>
    public long? CloseMicroseconds { get; private set; }

    /// <summary>The arrival time of the last whole record, or null if there is none.</summary>
    public long? LastArrivalMicroseconds { get; private set; }

    /// <summary>Reads the file at <paramref name="path"/> whole. Throws only for I/O (a missing or unreadable file).</summary>
    public static SegmentReader Open(string path) => new(File.ReadAllBytes(path));

    /// <summary>Reads a segment held in memory.</summary>
    public static SegmentReader FromBytes(ReadOnlyMemory<byte> data) => new(data);

    /// <summary>The packets of the whole records, in file (arrival) order. Their data are slices of the file's bytes.</summary>
    public IEnumerable<RecordedPacket> ReadPackets()
    {
        if (Header is null)
        {
            yield break;
        }

        int at = _headerLength;
        while (at < RecordsEnd)
        {
            ReadOnlySpan<byte> record = _data.Span.Slice(at);
            long arrival = BinaryPrimitives.ReadInt64LittleEndian(record);
            byte track = record[8];
            var kind = (RecordedPacketKind)record[9];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(record.Slice(10));
            yield return new RecordedPacket(arrival, track, kind, _data.Slice(at + SegmentFormat.RecordHeaderLength, length));
            at += SegmentFormat.RecordHeaderLength + length;
        }
    }

    private void Scan()
    {
        ReadOnlySpan<byte> data = _data.Span;
        int at = _headerLength;
        long packets = 0;
        RecordsEnd = at;
        while (at < data.Length)
        {
            if (data.Length - at < SegmentFormat.RecordHeaderLength)
            {
                Fail(SegmentReadStatus.TornTail, $"a record header cut short at byte {at} ({data.Length - at} of {SegmentFormat.RecordHeaderLength} bytes)");
                return;
            }

            ReadOnlySpan<byte> record = data.Slice(at);
            long arrival = BinaryPrimitives.ReadInt64LittleEndian(record);
            byte track = record[8];
            byte kind = record[9];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(record.Slice(10));
            if (kind == SegmentFormat.CloseKind)
            {
                ReadClose(data, at, arrival, track, length, packets);
                return;
            }

            if (kind is not ((byte)RecordedPacketKind.Rtp or (byte)RecordedPacketKind.Rtcp) || !_knownTracks[track])
            {
                Fail(SegmentReadStatus.Malformed, $"no valid record at byte {at} (kind {kind}, track {track})");
                return;
            }

            if (data.Length - at - SegmentFormat.RecordHeaderLength < length)
            {
                Fail(SegmentReadStatus.TornTail, $"a record cut short at byte {at} ({data.Length - at - SegmentFormat.RecordHeaderLength} of {length} data bytes)");
                return;
            }

            at += SegmentFormat.RecordHeaderLength + length;
            packets++;
            PacketCount = packets;
            RecordsEnd = at;
            LastArrivalMicroseconds = arrival;
        }

        Fail(SegmentReadStatus.Unclosed, $"no close record: the segment ends after {packets} packets at byte {at}");
    }

    private void ReadClose(ReadOnlySpan<byte> data, int at, long arrival, byte track, int length, long packets)
    {
        int end = at + SegmentFormat.CloseRecordLength;
        if (track != 0 || length != SegmentFormat.CloseDataLength)
        {
            Fail(SegmentReadStatus.Malformed, $"a malformed close record at byte {at}");
        }
        else if (data.Length < end)
        {
            Fail(SegmentReadStatus.TornTail, $"the close record cut short at byte {at}");
        }
        else if (data.Length > end)
        {
            Fail(SegmentReadStatus.Malformed, $"{data.Length - end} bytes after the close record at byte {at}");
        }
        else if (BinaryPrimitives.ReadInt64LittleEndian(data.Slice(at + SegmentFormat.RecordHeaderLength)) != packets)
        {
            Fail(SegmentReadStatus.Malformed, $"the close record at byte {at} counts {BinaryPrimitives.ReadInt64LittleEndian(data.Slice(at + SegmentFormat.RecordHeaderLength))} packets, the segment holds {packets}");
        }
        else
        {
            Status = SegmentReadStatus.Closed;
            CloseMicroseconds = arrival;
        }
    }

    private void Fail(SegmentReadStatus status, string error)
    {
        Status = status;
        Error = error;
    }
}
