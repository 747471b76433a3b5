namespace Relay.Protocols.Rtcp;

/// <summary>FMT values of transport layer feedback (packet type 205) this project decodes.</summary>
public enum TransportLayerFeedbackFormat : byte
{
    /// <summary>Generic NACK, RFC 4585 section 6.2.1.</summary>
    GenericNack = 1,

    /// <summary>Transport-wide congestion control feedback, draft-holmer-rmcat-transport-wide-cc-extensions-01.</summary>
    TransportCc = 15,
}
