using Relay.Control.Sdp;

namespace Relay.Control.Negotiation;

/// <summary>
/// How the answer treats one offered m= section: accepted with <paramref name="Accepted"/>, or
/// rejected (port 0) when it is null. <paramref name="Track"/> is what the relay sends there (WHEP).
/// </summary>
internal sealed record AnswerSection(MediaDescription Offered, NegotiatedMedia? Accepted, OutgoingTrack? Track);
