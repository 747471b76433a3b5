namespace Relay.Protocols.Demux;

/// <summary>What a datagram on the shared media port carries (RFC 7983 section 7).</summary>
public enum PacketKind
{
    /// <summary>Empty, or a first byte no handler here takes (ZRTP, TURN channel, QUIC, reserved).</summary>
    Unknown = 0,

    /// <summary>STUN (ICE connectivity checks and consent), first byte 0-3.</summary>
    Stun = 1,

    /// <summary>DTLS records, first byte 20-63.</summary>
    Dtls = 2,

    /// <summary>RTP or SRTP, first byte 128-191 and second byte outside 192-223.</summary>
    Rtp = 3,

    /// <summary>RTCP or SRTCP, first byte 128-191 and packet type 192-223 (RFC 5761 section 4).</summary>
    Rtcp = 4,
}
