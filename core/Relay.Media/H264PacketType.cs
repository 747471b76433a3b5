namespace Relay.Media;

/// <summary>How an H.264 RTP payload is packetized (RFC 6184 section 5.4).</summary>
public enum H264PacketType
{
    /// <summary>One whole NAL unit, types 1-23 (section 5.6).</summary>
    SingleNalUnit = 0,

    /// <summary>Several whole NAL units, each behind a 16-bit size, type 24 (section 5.7.1).</summary>
    StapA = 1,

    /// <summary>A fragment of one NAL unit, type 28 (section 5.8).</summary>
    FuA = 2,

    /// <summary>Types 0 and 25-27, 29-31: STAP-B, MTAPs, FU-B (interleaved mode, not used by WebRTC) and reserved.</summary>
    Other = 3,
}
