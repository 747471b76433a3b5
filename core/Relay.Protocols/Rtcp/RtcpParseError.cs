namespace Relay.Protocols.Rtcp;

/// <summary>Why a compound RTCP datagram, or one packet in it, was rejected.</summary>
public enum RtcpParseError : byte
{
    /// <summary>Nothing wrong.</summary>
    None = 0,

    /// <summary>The datagram holds no bytes at all.</summary>
    Empty,

    /// <summary>Fewer bytes remain than the 4-byte header or the header's length field needs.</summary>
    Truncated,

    /// <summary>The version bits are not 2.</summary>
    InvalidVersion,

    /// <summary>The packet type lies outside the RTCP range 192-223 (RFC 5761 section 4).</summary>
    InvalidPacketType,

    /// <summary>The P bit is set but the padding count is zero or runs into the header.</summary>
    InvalidPadding,

    /// <summary>The packet is too short for what its count field declares (report blocks, chunks, SSRCs).</summary>
    InvalidLength,

    /// <summary>A full compound (RFC 3550 section 6.1) must start with an SR or RR; this one does not.</summary>
    MissingReport,
}
