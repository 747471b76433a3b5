namespace Relay.Media;

/// <summary>The RTCP feedback that asks a sender for a keyframe.</summary>
public enum KeyframeRequestKind
{
    /// <summary>Picture Loss Indication (RFC 4585 section 6.3.1).</summary>
    Pli = 0,

    /// <summary>Full Intra Request (RFC 5104 section 4.3.1), which carries a command sequence number.</summary>
    Fir = 1,
}
