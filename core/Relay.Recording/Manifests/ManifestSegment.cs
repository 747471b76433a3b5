namespace Relay.Recording.Manifests;

/// <summary>One segment as the manifest lists it.</summary>
/// <param name="Index">The segment's place in the recording, from 0.</param>
/// <param name="FileName">The segment file's name in the recording's directory.</param>
/// <param name="StartMicroseconds">When it was opened, microseconds since the Unix epoch (UTC).</param>
/// <param name="EndMicroseconds">When it was closed.</param>
/// <param name="Length">The file's length in bytes.</param>
/// <param name="PacketCount">Packets recorded in it.</param>
/// <param name="Sha256">SHA-256 of the whole file, lowercase hex.</param>
/// <param name="ChainHash">SHA-256(previous segment's chain hash || this segment's SHA-256), lowercase hex; the first segment's previous is 32 zero bytes.</param>
/// <param name="Recovered">Whether crash recovery closed this segment (cut at its last whole record).</param>
/// <param name="DiscardedBytes">Bytes of a torn record recovery cut off.</param>
public sealed record ManifestSegment(
    int Index, string FileName, long StartMicroseconds, long EndMicroseconds, long Length, long PacketCount, string Sha256, string ChainHash, bool Recovered, long DiscardedBytes);
