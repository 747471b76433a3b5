using Relay.Protocols.Srtp;
using Relay.Transport.Peers;

namespace Relay.Server.Media;

/// <summary>
/// Sums of <see cref="PeerTransportCounters"/> over many peers: the node keeps one for peers that
/// have ended, so its counters never go backwards when a peer goes, and adds the live ones at scrape time.
/// </summary>
internal sealed class PeerTotals
{
    public static readonly SrtpError[] DropReasons = CreateDropReasons();

    private readonly long[] _rtpDrops = new long[DropReasons.Length];
    private readonly long[] _rtcpDrops = new long[DropReasons.Length];

    public long RtpPacketsIn { get; private set; }

    public long RtpBytesIn { get; private set; }

    public long RtcpPacketsIn { get; private set; }

    public long RtcpBytesIn { get; private set; }

    public long RtpPacketsOut { get; private set; }

    public long RtpBytesOut { get; private set; }

    public long RtcpPacketsOut { get; private set; }

    public long RtcpBytesOut { get; private set; }

    public long DroppedBeforeKeys { get; private set; }

    public long DroppedAfterEnd { get; private set; }

    public long DroppedUnknown { get; private set; }

    public long SendFailures { get; private set; }

    /// <summary>SRTP packets refused by reason, in <see cref="DropReasons"/> order.</summary>
    public ReadOnlySpan<long> RtpDrops => _rtpDrops;

    /// <summary>SRTCP packets refused by reason, in <see cref="DropReasons"/> order.</summary>
    public ReadOnlySpan<long> RtcpDrops => _rtcpDrops;

    public void Add(PeerTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RtpPacketsIn += other.RtpPacketsIn;
        RtpBytesIn += other.RtpBytesIn;
        RtcpPacketsIn += other.RtcpPacketsIn;
        RtcpBytesIn += other.RtcpBytesIn;
        RtpPacketsOut += other.RtpPacketsOut;
        RtpBytesOut += other.RtpBytesOut;
        RtcpPacketsOut += other.RtcpPacketsOut;
        RtcpBytesOut += other.RtcpBytesOut;
        DroppedBeforeKeys += other.DroppedBeforeKeys;
        DroppedAfterEnd += other.DroppedAfterEnd;
        DroppedUnknown += other.DroppedUnknown;
        SendFailures += other.SendFailures;
        for (int i = 0; i < DropReasons.Length; i++)
        {
            _rtpDrops[i] += other._rtpDrops[i];
            _rtcpDrops[i] += other._rtcpDrops[i];
        }
    }

    public void Add(PeerTransportCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        RtpPacketsIn += counters.RtpPacketsIn;
        RtpBytesIn += counters.RtpBytesIn;
        RtcpPacketsIn += counters.RtcpPacketsIn;
        RtcpBytesIn += counters.RtcpBytesIn;
        RtpPacketsOut += counters.RtpPacketsOut;
        RtpBytesOut += counters.RtpBytesOut;
        RtcpPacketsOut += counters.RtcpPacketsOut;
        RtcpBytesOut += counters.RtcpBytesOut;
        DroppedBeforeKeys += counters.DroppedBeforeKeys;
        DroppedAfterEnd += counters.DroppedAfterEnd;
        DroppedUnknown += counters.DroppedUnknown;
        SendFailures += counters.SendFailures;
        for (int i = 0; i < DropReasons.Length; i++)
        {
            _rtpDrops[i] += counters.GetRtpDrops(DropReasons[i]);
            _rtcpDrops[i] += counters.GetRtcpDrops(DropReasons[i]);
        }
    }

    private static SrtpError[] CreateDropReasons()
    {
        var reasons = new List<SrtpError>();
        foreach (SrtpError error in Enum.GetValues<SrtpError>())
        {
            if (error != SrtpError.None)
            {
                reasons.Add(error);
            }
        }

        return [.. reasons];
    }
}
