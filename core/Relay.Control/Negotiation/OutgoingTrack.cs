namespace Relay.Control.Negotiation;

/// <summary>
/// A track the relay sends to a WHEP viewer: the codec the publisher negotiated, and the SSRCs the
/// relay will send it with (and retransmit with, if the viewer accepts RTX).
/// </summary>
public sealed record OutgoingTrack(MediaKind Kind, RtpCodec Codec, uint Ssrc, uint? RtxSsrc, string TrackId);
