namespace Relay.Protocols.Rtcp;

/// <summary>FMT values of payload-specific feedback (packet type 206) this project decodes.</summary>
public enum PayloadSpecificFeedbackFormat : byte
{
    /// <summary>Picture loss indication, RFC 4585 section 6.3.1.</summary>
    PictureLossIndication = 1,

    /// <summary>Full intra request, RFC 5104 section 4.3.1.</summary>
    FullIntraRequest = 4,

    /// <summary>Application layer feedback, RFC 4585 section 6.4; REMB is carried here.</summary>
    ApplicationLayer = 15,
}
