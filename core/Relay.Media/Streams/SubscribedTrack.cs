namespace Relay.Media.Streams;

/// <summary>
/// What one viewer receives on one track, from the WHEP negotiation: the relay's SSRCs and the
/// viewer's payload types and feedback.
/// </summary>
/// <param name="Kind">Audio or video; a viewer has at most one track of each kind.</param>
/// <param name="PayloadType">The viewer's payload type for the published codec.</param>
/// <param name="RtxPayloadType">The viewer's RTX payload type, if it accepted RTX; retransmissions then go as RTX.</param>
/// <param name="Ssrc">The SSRC the relay sends this track with.</param>
/// <param name="RtxSsrc">The SSRC the relay retransmits with, if the viewer accepted RTX.</param>
/// <param name="Nack">Whether the viewer may NACK (its NACKs are answered only then).</param>
/// <param name="Pli">Whether the viewer may send PLI.</param>
/// <param name="Fir">Whether the viewer may send FIR.</param>
public sealed record SubscribedTrack(
    MediaTrackKind Kind, byte PayloadType, byte? RtxPayloadType, uint Ssrc, uint? RtxSsrc, bool Nack, bool Pli, bool Fir);
