using Relay.Media.Streams;

namespace Relay.Recording;

/// <summary>One track of a recording and what is needed to decode its RTP without the SDP.</summary>
/// <param name="Index">The track's index in the recording (what <see cref="RecordedPacket.TrackIndex"/> refers to).</param>
/// <param name="Kind">Audio or video.</param>
/// <param name="Codec">VP8, H.264 or Opus.</param>
/// <param name="ClockRate">The RTP clock rate (90000 for video, 48000 for Opus).</param>
/// <param name="PayloadType">The publisher's payload type for the media (RTX is unwrapped before recording).</param>
/// <param name="Channels">Audio channels (2 for Opus as negotiated), 0 for video.</param>
/// <param name="FormatParameters">The fmtp line's parameters (H.264 profile-level-id, packetization-mode), or null.</param>
public sealed record RecordedTrack(byte Index, MediaTrackKind Kind, MediaCodec Codec, int ClockRate, byte PayloadType, int Channels, string? FormatParameters);
