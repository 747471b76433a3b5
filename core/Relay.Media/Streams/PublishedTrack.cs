namespace Relay.Media.Streams;

/// <summary>
/// What the publisher sends on one track, from the WHIP negotiation. Packets are matched to a track
/// by payload type (<see cref="PayloadType"/>, or <see cref="RtxPayloadType"/> for its
/// retransmissions); <see cref="Ssrc"/> and <see cref="RtxSsrc"/> are used until the packets show
/// otherwise.
/// </summary>
/// <param name="Kind">Audio or video.</param>
/// <param name="Codec">The codec the publisher sends.</param>
/// <param name="ClockRate">The codec's RTP clock rate (90000 for video, 48000 for Opus).</param>
/// <param name="PayloadType">The payload type the publisher sends the codec with.</param>
/// <param name="RtxPayloadType">The publisher's RTX payload type (RFC 4588), if agreed.</param>
/// <param name="Ssrc">The publisher's media SSRC, if its offer announced one.</param>
/// <param name="RtxSsrc">The publisher's RTX SSRC, if announced.</param>
/// <param name="Mid">The media section's mid.</param>
/// <param name="MidExtensionId">The sdes:mid header extension id, if agreed.</param>
/// <param name="Nack">
/// Whether the publisher agreed to generic NACK (<c>a=rtcp-fb:* nack</c>): the relay then asks it for
/// the packets lost on its path. Added to the contract in MEDIA_API.md as a trailing optional
/// parameter (default false) so existing callers compile unchanged.
/// </param>
/// <param name="Channels">Audio channels as negotiated (2 for Opus), 0 if not given; kept for the recording.</param>
/// <param name="FormatParameters">The codec's fmtp parameters (H.264 profile-level-id, packetization-mode), if any; kept for the recording.</param>
public sealed record PublishedTrack(
    MediaTrackKind Kind,
    MediaCodec Codec,
    int ClockRate,
    byte PayloadType,
    byte? RtxPayloadType,
    uint? Ssrc,
    uint? RtxSsrc,
    string Mid,
    int? MidExtensionId,
    bool Nack = false,
    int Channels = 0,
    string? FormatParameters = null);
