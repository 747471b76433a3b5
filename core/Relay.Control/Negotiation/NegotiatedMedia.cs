namespace Relay.Control.Negotiation;

/// <summary>
/// One accepted media section as the data plane needs it: which payload type carries which codec,
/// the RTX payload type, header extension ids, feedback to use, and the SSRCs each side announced.
/// For WHIP the remote side sends; for WHEP the relay sends with <see cref="LocalSsrc"/>.
/// </summary>
public sealed record NegotiatedMedia
{
    public required MediaKind Kind { get; init; }

    /// <summary>The section's mid, also carried in RTP by the sdes:mid extension.</summary>
    public required string Mid { get; init; }

    /// <summary>Index of the m= line in the offer (and the answer).</summary>
    public required int MediaSectionIndex { get; init; }

    /// <summary>The payload type agreed with this peer for <see cref="Codec"/>.</summary>
    public required byte PayloadType { get; init; }

    /// <summary>
    /// The codec. For WHIP, what the publisher will send; for WHEP, what the relay will send (the
    /// published codec, under the viewer's payload type).
    /// </summary>
    public required RtpCodec Codec { get; init; }

    /// <summary>The RTX payload type (RFC 4588, <c>apt=</c> <see cref="PayloadType"/>), if agreed.</summary>
    public byte? RtxPayloadType { get; init; }

    public required RtpHeaderExtensionIds HeaderExtensions { get; init; }

    public required RtcpFeedbackTypes Feedback { get; init; }

    /// <summary>The peer's media SSRC, if its description announced one.</summary>
    public uint? RemoteSsrc { get; init; }

    /// <summary>The peer's RTX SSRC, from <c>a=ssrc-group:FID</c>.</summary>
    public uint? RemoteRtxSsrc { get; init; }

    /// <summary>The peer's RTCP CNAME for <see cref="RemoteSsrc"/>.</summary>
    public string? RemoteCname { get; init; }

    /// <summary>The peer's msid stream id.</summary>
    public string? RemoteStreamId { get; init; }

    /// <summary>The peer's msid track id.</summary>
    public string? RemoteTrackId { get; init; }

    /// <summary>WHEP: the SSRC the relay sends this track with.</summary>
    public uint? LocalSsrc { get; init; }

    /// <summary>WHEP: the SSRC the relay retransmits with, when the viewer accepted RTX.</summary>
    public uint? LocalRtxSsrc { get; init; }
}
