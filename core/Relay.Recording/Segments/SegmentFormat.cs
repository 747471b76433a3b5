using System.Buffers.Binary;
using System.Text;
using Relay.Media.Streams;

namespace Relay.Recording.Segments;

/// <summary>
/// The segment file format, version 1: a header naming the recording, the segment's place in it and
/// its tracks; the packets as records; and a close record that says the segment was closed whole.
/// All integers little-endian.
/// </summary>
/// <remarks>
/// <code>
/// header:
///  0       8 magic "RELAYSEG"
///  8       2 format version (1)
/// 10       2 header length in bytes (from the magic on, tracks included)
/// 12      16 recording id (a UUID, RFC 9562 byte order)
/// 28       4 segment index (0, 1, 2, ...)
/// 32       8 segment start, microseconds since the Unix epoch (UTC)
/// 40       1 track count, then per track:
///            index(1) kind(1: 1 audio, 2 video) codec(1: 1 VP8, 2 H.264, 3 Opus) payload type(1)
///            clock rate(4) channels(1) fmtp length(2) fmtp (UTF-8)
/// record:
///  0       8 arrival, microseconds since the Unix epoch (UTC)
///  8       1 track index
///  9       1 kind (1 RTP, 2 RTCP; 0xFF the close record)
/// 10       2 data length
/// 12       n data (the decrypted packet)
/// close record: kind 0xFF, track 0, arrival = when the segment closed, data = 8 bytes: the packet
///            count. Nothing follows it.
/// </code>
/// A writer killed mid-record leaves a torn record at the end: readers stop before it, and recovery
/// cuts it off and closes the segment (<see cref="SegmentRecovery"/>).
/// </remarks>
internal static class SegmentFormat
{
    public const ushort Version = 1;

    public const int FixedHeaderLength = 41;

    public const int TrackFixedLength = 11;

    public const int RecordHeaderLength = 12;

    public const byte CloseKind = 0xFF;

    public const int CloseDataLength = 8;

    public const int CloseRecordLength = RecordHeaderLength + CloseDataLength;

    public const int MaxDataLength = ushort.MaxValue;

    public const string FileExtension = ".rseg";

    public static ReadOnlySpan<byte> Magic => "RELAYSEG"u8;

    public static string FileName(int segmentIndex) => segmentIndex.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + FileExtension;

    public static int GetHeaderLength(IReadOnlyList<RecordedTrack> tracks)
    {
        int length = FixedHeaderLength;
        foreach (RecordedTrack track in tracks)
        {
            length += TrackFixedLength + Encoding.UTF8.GetByteCount(track.FormatParameters ?? string.Empty);
        }

        return length;
    }

    public static byte[] WriteHeader(SegmentHeader header)
    {
        int length = GetHeaderLength(header.Tracks);
        if (length > ushort.MaxValue || header.Tracks.Count > byte.MaxValue)
        {
            throw new ArgumentException("A segment header holds at most 255 tracks in 64 KiB.", nameof(header));
        }

        byte[] bytes = new byte[length];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(8), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(10), (ushort)length);
        header.RecordingId.TryWriteBytes(span.Slice(12, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32LittleEndian(span.Slice(28), header.SegmentIndex);
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(32), header.StartMicroseconds);
        span[40] = (byte)header.Tracks.Count;
        int at = FixedHeaderLength;
        foreach (RecordedTrack track in header.Tracks)
        {
            span[at] = track.Index;
            span[at + 1] = track.Kind == MediaTrackKind.Audio ? (byte)1 : (byte)2;
            span[at + 2] = track.Codec switch { MediaCodec.Vp8 => 1, MediaCodec.H264 => 2, _ => 3 };
            span[at + 3] = track.PayloadType;
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at + 4), track.ClockRate);
            span[at + 8] = (byte)Math.Clamp(track.Channels, 0, 255);
            int fmtpLength = Encoding.UTF8.GetBytes(track.FormatParameters ?? string.Empty, span.Slice(at + TrackFixedLength));
            BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(at + 9), (ushort)fmtpLength);
            at += TrackFixedLength + fmtpLength;
        }

        return bytes;
    }

    /// <summary>Reads a header; false (with why) for anything that is not a whole, sane version-1 header.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out SegmentHeader header, out int headerLength, out string? error)
    {
        header = null!;
        headerLength = 0;
        if (data.Length < FixedHeaderLength)
        {
            error = "shorter than a segment header";
            return false;
        }

        if (!data.StartsWith(Magic))
        {
            error = "not a segment file (no RELAYSEG magic)";
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(8));
        if (version != Version)
        {
            error = $"segment format version {version} is not supported";
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(10));
        if (length < FixedHeaderLength || length > data.Length)
        {
            error = "the header's length runs past the file";
            return false;
        }

        var id = new Guid(data.Slice(12, 16), bigEndian: true);
        int index = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(28));
        long start = BinaryPrimitives.ReadInt64LittleEndian(data.Slice(32));
        int count = data[40];
        var tracks = new List<RecordedTrack>(count);
        int at = FixedHeaderLength;
        for (int i = 0; i < count; i++)
        {
            if (at + TrackFixedLength > length)
            {
                error = "a track runs past the header";
                return false;
            }

            ReadOnlySpan<byte> t = data.Slice(at, length - at);
            int fmtpLength = BinaryPrimitives.ReadUInt16LittleEndian(t.Slice(9));
            if (TrackFixedLength + fmtpLength > t.Length)
            {
                error = "a track's format parameters run past the header";
                return false;
            }

            MediaTrackKind? kind = t[1] switch { 1 => MediaTrackKind.Audio, 2 => MediaTrackKind.Video, _ => null };
            MediaCodec? codec = t[2] switch { 1 => MediaCodec.Vp8, 2 => MediaCodec.H264, 3 => MediaCodec.Opus, _ => null };
            int clockRate = BinaryPrimitives.ReadInt32LittleEndian(t.Slice(4));
            if (kind is null || codec is null || clockRate <= 0)
            {
                error = "a track has an unknown kind or codec, or no clock rate";
                return false;
            }

            string? fmtp = fmtpLength == 0 ? null : Encoding.UTF8.GetString(t.Slice(TrackFixedLength, fmtpLength));
            tracks.Add(new RecordedTrack(t[0], kind.Value, codec.Value, clockRate, t[3], t[8], fmtp));
            at += TrackFixedLength + fmtpLength;
        }

        if (at != length)
        {
            error = "the header's length does not match its tracks";
            return false;
        }

        header = new SegmentHeader(id, index, start, tracks);
        headerLength = length;
        error = null;
        return true;
    }

    /// <summary>Writes a record's 12-byte header.</summary>
    public static void WriteRecordHeader(Span<byte> destination, long arrivalMicroseconds, byte track, byte kind, int length)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, arrivalMicroseconds);
        destination[8] = track;
        destination[9] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(10), (ushort)length);
    }
}
