namespace Relay.Recording.Depacketizers;

/// <summary>
/// One unbroken run of a track's RTP: a single SSRC with continuous sequence numbers and timestamps.
/// A publisher that reconnects starts a new timeline (new SSRC, new sequence and timestamp bases),
/// which the exporter places by arrival time (or the sender's clock, when sender reports say it).
/// </summary>
public sealed class RtpTimeline
{
    internal RtpTimeline(int index, uint ssrc)
    {
        Index = index;
        Ssrc = ssrc;
    }

    /// <summary>Position among the track's timelines, from 0.</summary>
    public int Index { get; }

    /// <summary>The RTP synchronisation source of this run.</summary>
    public uint Ssrc { get; }

    /// <summary>Whether an RTCP sender report mapped this timeline's RTP clock to the sender's wall clock.</summary>
    public bool HasSenderReport { get; private set; }

    /// <summary>The sender's wall clock at <see cref="SenderReportRtpTimestamp"/>, microseconds since 1900 (NTP era 0).</summary>
    public long SenderReportNtpMicroseconds { get; private set; }

    /// <summary>The unwrapped RTP timestamp the first sender report gave for <see cref="SenderReportNtpMicroseconds"/>.</summary>
    public long SenderReportRtpTimestamp { get; private set; }

    internal void SetSenderReport(long ntpMicroseconds, long rtpTimestamp)
    {
        if (HasSenderReport)
        {
            return;
        }

        HasSenderReport = true;
        SenderReportNtpMicroseconds = ntpMicroseconds;
        SenderReportRtpTimestamp = rtpTimestamp;
    }
}
