namespace Relay.Protocols.Rtcp;

/// <summary>
/// The sender information section of an SR (RFC 3550 section 6.4.1).
/// </summary>
/// <remarks>
/// <code>
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             NTP timestamp, least significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP timestamp                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     sender's packet count                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// </remarks>
/// <param name="NtpTimestamp">Wallclock time of the report: seconds since 1900 in the high word, fraction in the low.</param>
/// <param name="RtpTimestamp">The same instant in the stream's RTP clock.</param>
/// <param name="PacketCount">RTP packets sent since the start.</param>
/// <param name="OctetCount">RTP payload octets sent since the start.</param>
public readonly record struct SenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    /// <summary>Bytes of sender information in an SR.</summary>
    public const int Length = 20;

    /// <summary>The middle 32 bits of the NTP timestamp, which receivers echo as LSR in their report blocks.</summary>
    public uint CompactNtpTimestamp => (uint)(NtpTimestamp >> 16);
}
