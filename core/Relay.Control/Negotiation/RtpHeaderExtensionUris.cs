namespace Relay.Control.Negotiation;

/// <summary>The RTP header extensions the relay negotiates (RFC 8285 <c>a=extmap</c> URIs).</summary>
public static class RtpHeaderExtensionUris
{
    /// <summary>Absolute send time, 24-bit 6.18 fixed point seconds; used by REMB bandwidth estimation.</summary>
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /// <summary>Transport-wide sequence number for transport-cc feedback.</summary>
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /// <summary>The media section's mid (RFC 8843 section 15.1), which demultiplexes BUNDLE before SSRCs are known.</summary>
    public const string Mid = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>Audio level of the packet (RFC 6464); audio only.</summary>
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
}
