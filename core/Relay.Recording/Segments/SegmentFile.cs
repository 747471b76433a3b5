using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Relay.Recording.Segments;

/// <summary>
/// One segment file being written: the header on creation, then record bytes as they come, hashed
/// (SHA-256) as they are written; <see cref="Close"/> appends the close record and flushes it to disk.
/// </summary>
internal sealed class SegmentFile : IDisposable
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _disposed;

    private SegmentFile(FileStream file, SegmentHeader header, string fileName)
    {
        _file = file;
        Header = header;
        FileName = fileName;
    }

    public SegmentHeader Header { get; }

    public string FileName { get; }

    /// <summary>Bytes written so far (header included).</summary>
    public long Length { get; private set; }

    public long PacketCount { get; private set; }

    /// <summary>
    /// Creates the file (it must not exist: a segment is never overwritten), writes the header and
    /// hands it to the OS, so a process killed from here on leaves at least a whole header.
    /// </summary>
    public static SegmentFile Create(string directory, SegmentHeader header, long preallocationBytes = 0)
    {
        string fileName = SegmentFormat.FileName(header.SegmentIndex);
        var file = new FileStream(Path.Combine(directory, fileName), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 64 * 1024,
            // fallocate with FALLOC_FL_KEEP_SIZE on Linux: blocks reserved, length still what is written.
            PreallocationSize = preallocationBytes,
        });
        var segment = new SegmentFile(file, header, fileName);
        try
        {
            segment.Write(SegmentFormat.WriteHeader(header));
            file.Flush(flushToDisk: false);
        }
        catch
        {
            segment.Dispose();
            throw;
        }

        return segment;
    }

    /// <summary>Appends record bytes (whole records).</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        _file.Write(bytes);
        _hash.AppendData(bytes);
        Length += bytes.Length;
    }

    public void CountPacket() => PacketCount++;

    /// <summary>Hands what is buffered to the OS (not to the disk): a killed process then loses none of it.</summary>
    public void FlushToOs() => _file.Flush(flushToDisk: false);

    /// <summary>Appends the close record, flushes the file to disk (fsync) and closes it.</summary>
    public SegmentInfo Close(long closeMicroseconds)
    {
        Span<byte> close = stackalloc byte[SegmentFormat.CloseRecordLength];
        SegmentFormat.WriteRecordHeader(close, closeMicroseconds, 0, SegmentFormat.CloseKind, SegmentFormat.CloseDataLength);
        BinaryPrimitives.WriteInt64LittleEndian(close.Slice(SegmentFormat.RecordHeaderLength), PacketCount);
        Write(close);
        // Releases the blocks reserved past the end (ext4 truncates preallocated blocks even when the
        // length does not change), so a closed segment holds only its bytes.
        _file.SetLength(Length);
        _file.Flush(flushToDisk: true);
        byte[] sha256 = _hash.GetHashAndReset();
        Dispose();
        return new SegmentInfo(Header.SegmentIndex, FileName, Header.StartMicroseconds, closeMicroseconds, Length, PacketCount, sha256);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _hash.Dispose();
        _file.Dispose();
    }
}
