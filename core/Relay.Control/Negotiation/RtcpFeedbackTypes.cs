namespace Relay.Control.Negotiation;

/// <summary>The RTCP feedback messages both sides agreed to use for a codec (RFC 4585 <c>a=rtcp-fb</c>).</summary>
[Flags]
public enum RtcpFeedbackTypes
{
    None = 0,

    /// <summary><c>nack</c>: generic NACK, answered by retransmission (RFC 4585 section 6.2.1).</summary>
    Nack = 1,

    /// <summary><c>nack pli</c>: picture loss indication, asks for a key frame (RFC 4585 section 6.3.1).</summary>
    Pli = 2,

    /// <summary><c>ccm fir</c>: full intra request (RFC 5104 section 4.3.1).</summary>
    Fir = 4,

    /// <summary><c>transport-cc</c>: transport-wide congestion control feedback.</summary>
    TransportCc = 8,

    /// <summary><c>goog-remb</c>: receiver estimated maximum bitrate.</summary>
    Remb = 16,
}
