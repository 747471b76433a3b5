namespace Relay.Protocols.Rtcp;

/// <summary>The RTCP packet types this project reads and writes (the PT octet of the common header).</summary>
/// <remarks>
/// Any value from 192 to 223 is in the RTCP range (RFC 5761 section 4); the compound enumerator passes
/// types not listed here through so the caller can skip them.
/// </remarks>
public enum RtcpPacketType : byte
{
    /// <summary>SR, RFC 3550 section 6.4.1.</summary>
    SenderReport = 200,

    /// <summary>RR, RFC 3550 section 6.4.2.</summary>
    ReceiverReport = 201,

    /// <summary>SDES, RFC 3550 section 6.5.</summary>
    SourceDescription = 202,

    /// <summary>BYE, RFC 3550 section 6.6.</summary>
    Goodbye = 203,

    /// <summary>APP, RFC 3550 section 6.7.</summary>
    ApplicationDefined = 204,

    /// <summary>RTPFB, transport layer feedback (RFC 4585 section 6.2): NACK, transport-wide CC.</summary>
    TransportLayerFeedback = 205,

    /// <summary>PSFB, payload-specific feedback (RFC 4585 section 6.3): PLI, FIR, REMB.</summary>
    PayloadSpecificFeedback = 206,

    /// <summary>XR, RFC 3611. Enumerated but not decoded here.</summary>
    ExtendedReport = 207,
}
