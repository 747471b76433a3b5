namespace Relay.Recording.Manifests;

/// <summary>A stretch of a recording with no packets recorded, and why.</summary>
/// <param name="FromMicroseconds">Start of the gap, microseconds since the Unix epoch (UTC).</param>
/// <param name="ToMicroseconds">End of the gap.</param>
/// <param name="Reason">Why nothing was recorded.</param>
/// <param name="DroppedPackets">Packets received and not recorded in it (storage stalls); 0 for a reconnect.</param>
public sealed record RecordingGap(long FromMicroseconds, long ToMicroseconds, RecordingGapReason Reason, long DroppedPackets = 0);
