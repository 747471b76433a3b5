namespace Relay.Recording.Depacketizers;

/// <summary>One whole media frame rebuilt from RTP, in the form a container stores it.</summary>
/// <param name="RtpTimestamp">The frame's RTP timestamp, unwrapped within its timeline (no 32-bit wrap).</param>
/// <param name="ArrivalMicroseconds">When the frame's first packet (in sequence order) arrived, microseconds since the Unix epoch.</param>
/// <param name="IsKeyframe">Whether a decoder can start here (always true for audio).</param>
/// <param name="Timeline">Index of the <see cref="RtpTimeline"/> (publisher connection) the frame belongs to.</param>
/// <param name="Data">
/// The frame: VP8 frame bytes; H.264 access unit as NAL units each behind a 4-byte big-endian length
/// (ISO/IEC 14496-15, the avcC/MP4 form); one Opus packet.
/// </param>
public readonly record struct DepacketizedFrame(long RtpTimestamp, long ArrivalMicroseconds, bool IsKeyframe, int Timeline, ReadOnlyMemory<byte> Data);
