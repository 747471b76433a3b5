namespace Relay.Media;

/// <summary>
/// The values of one RTCP reception report block (RFC 3550 section 6.4.1) for one received source, as
/// <see cref="ReceiveStatistics.CreateReport"/> computes them; the RTCP writer serialises them.
/// </summary>
public readonly struct ReceiveStatisticsReport
{
    public ReceiveStatisticsReport(
        uint ssrc,
        byte fractionLost,
        int cumulativeLost,
        uint extendedHighestSequenceNumber,
        uint jitter,
        uint lastSenderReport,
        uint delaySinceLastSenderReport)
    {
        Ssrc = ssrc;
        FractionLost = fractionLost;
        CumulativeLost = cumulativeLost;
        ExtendedHighestSequenceNumber = extendedHighestSequenceNumber;
        Jitter = jitter;
        LastSenderReport = lastSenderReport;
        DelaySinceLastSenderReport = delaySinceLastSenderReport;
    }

    /// <summary>SSRC_n: the source this block reports on.</summary>
    public uint Ssrc { get; }

    /// <summary>Packets lost since the previous report, as a fixed-point fraction of those expected (x/256).</summary>
    public byte FractionLost { get; }

    /// <summary>Packets lost since reception began; negative with duplicates; clamped to 24-bit signed.</summary>
    public int CumulativeLost { get; }

    /// <summary>Sequence number cycles (high 16 bits) and the highest sequence number received (low 16).</summary>
    public uint ExtendedHighestSequenceNumber { get; }

    /// <summary>Interarrival jitter in RTP timestamp units.</summary>
    public uint Jitter { get; }

    /// <summary>LSR: the middle 32 bits of the NTP timestamp of the last sender report, or 0 if none.</summary>
    public uint LastSenderReport { get; }

    /// <summary>DLSR: time since that sender report arrived, in 1/65536 s, or 0 if none.</summary>
    public uint DelaySinceLastSenderReport { get; }
}
