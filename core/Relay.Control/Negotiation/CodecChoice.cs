namespace Relay.Control.Negotiation;

/// <summary>The codec picked from one offered media section, with its RTX and feedback.</summary>
internal sealed record CodecChoice(byte PayloadType, RtpCodec Codec, byte? RtxPayloadType, RtcpFeedbackTypes Feedback);
