namespace Relay.Recording;

/// <summary>One packet as the recording holds it: decrypted, with when it arrived.</summary>
/// <param name="ArrivalMicroseconds">Arrival time, microseconds since the Unix epoch (UTC), from the relay's clock.</param>
/// <param name="TrackIndex">Which of the recording's tracks (<see cref="RecordedTrack.Index"/>) it belongs to.</param>
/// <param name="Kind">RTP or RTCP.</param>
/// <param name="Data">The packet's bytes.</param>
public readonly record struct RecordedPacket(long ArrivalMicroseconds, byte TrackIndex, RecordedPacketKind Kind, ReadOnlyMemory<byte> Data);
