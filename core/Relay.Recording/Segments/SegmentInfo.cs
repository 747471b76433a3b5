namespace Relay.Recording.Segments;

/// <summary>A closed segment file as the manifest lists it.</summary>
/// <param name="Index">The segment's place in the recording, from 0.</param>
/// <param name="FileName">The file's name in the recording's directory.</param>
/// <param name="StartMicroseconds">When it was opened (its header's start).</param>
/// <param name="EndMicroseconds">When it was closed (its close record's time).</param>
/// <param name="Length">The file's length in bytes, close record included.</param>
/// <param name="PacketCount">Packets (RTP and RTCP records) in it.</param>
/// <param name="Sha256">SHA-256 of the whole file, computed as it was written (or, if recovered, as recovery closed it).</param>
/// <param name="Recovered">Whether crash recovery closed it (cut at its last whole record).</param>
/// <param name="DiscardedBytes">Bytes recovery cut off after the last whole record (a torn record); 0 unless recovered.</param>
public sealed record SegmentInfo(
    int Index, string FileName, long StartMicroseconds, long EndMicroseconds, long Length, long PacketCount, byte[] Sha256, bool Recovered = false, long DiscardedBytes = 0);
