using Relay.Protocols.Srtp;

namespace Relay.Transport.Peers;

/// <summary>
/// One peer's traffic and drops. Receive counters are written by the receive worker, send counters
/// by the sending thread, without interlocked operations (one writer each); any thread may read them,
/// and a reading may be a few packets behind.
/// </summary>
public sealed class PeerTransportCounters
{
    private static readonly int s_errorCount = Enum.GetValues<SrtpError>().Length;

    private readonly long[] _rtpUnprotectFailures = new long[s_errorCount];
    private readonly long[] _rtcpUnprotectFailures = new long[s_errorCount];
    private readonly long[] _protectFailures = new long[s_errorCount];

    internal long _rtpPacketsIn;
    internal long _rtpBytesIn;
    internal long _rtcpPacketsIn;
    internal long _rtcpBytesIn;
    internal long _rtpPacketsOut;
    internal long _rtpBytesOut;
    internal long _rtcpPacketsOut;
    internal long _rtcpBytesOut;
    internal long _dtlsDatagramsIn;
    internal long _dtlsDatagramsOut;
    internal long _droppedBeforeKeys;
    internal long _droppedAfterEnd;
    internal long _droppedUnknown;
    internal long _sendFailures;

    /// <summary>SRTP packets that unprotected and went to the handler.</summary>
    public long RtpPacketsIn => Volatile.Read(ref _rtpPacketsIn);

    /// <summary>Protected (wire) bytes of <see cref="RtpPacketsIn"/>.</summary>
    public long RtpBytesIn => Volatile.Read(ref _rtpBytesIn);

    public long RtcpPacketsIn => Volatile.Read(ref _rtcpPacketsIn);

    public long RtcpBytesIn => Volatile.Read(ref _rtcpBytesIn);

    /// <summary>SRTP packets protected and handed to the socket.</summary>
    public long RtpPacketsOut => Volatile.Read(ref _rtpPacketsOut);

    /// <summary>Protected (wire) bytes of <see cref="RtpPacketsOut"/>.</summary>
    public long RtpBytesOut => Volatile.Read(ref _rtpBytesOut);

    public long RtcpPacketsOut => Volatile.Read(ref _rtcpPacketsOut);

    public long RtcpBytesOut => Volatile.Read(ref _rtcpBytesOut);

    public long DtlsDatagramsIn => Volatile.Read(ref _dtlsDatagramsIn);

    public long DtlsDatagramsOut => Volatile.Read(ref _dtlsDatagramsOut);

    /// <summary>SRTP or SRTCP that arrived before DTLS had keyed the sessions.</summary>
    public long DroppedBeforeKeys => Volatile.Read(ref _droppedBeforeKeys);

    /// <summary>Anything that arrived after the transport failed or closed.</summary>
    public long DroppedAfterEnd => Volatile.Read(ref _droppedAfterEnd);

    /// <summary>
    /// Datagrams of no kind a peer sends (RFC 7983), DTLS before this side started its handshake, or,
    /// in the client role, anything from an address other than the server's.
    /// </summary>
    public long DroppedUnknown => Volatile.Read(ref _droppedUnknown);

    /// <summary>Protected packets the socket refused to send (closed, no selected pair, network error).</summary>
    public long SendFailures => Volatile.Read(ref _sendFailures);

    /// <summary>Received SRTP packets dropped because <see cref="SrtpSession.UnprotectRtp"/> refused them for <paramref name="reason"/>.</summary>
    public long GetRtpDrops(SrtpError reason) => Volatile.Read(ref _rtpUnprotectFailures[Index(reason)]);

    /// <summary>Received SRTCP packets dropped because <see cref="SrtpSession.UnprotectRtcp"/> refused them for <paramref name="reason"/>.</summary>
    public long GetRtcpDrops(SrtpError reason) => Volatile.Read(ref _rtcpUnprotectFailures[Index(reason)]);

    /// <summary>Outgoing RTP and RTCP packets not sent because protecting them failed for <paramref name="reason"/>.</summary>
    public long GetProtectFailures(SrtpError reason) => Volatile.Read(ref _protectFailures[Index(reason)]);

    internal void CountRtpDrop(SrtpError reason) => _rtpUnprotectFailures[Index(reason)]++;

    internal void CountRtcpDrop(SrtpError reason) => _rtcpUnprotectFailures[Index(reason)]++;

    internal void CountProtectFailure(SrtpError reason) => _protectFailures[Index(reason)]++;

    // An SrtpError added later lands in slot 0 (None) rather than out of bounds.
    private static int Index(SrtpError reason) => (uint)reason < (uint)s_errorCount ? (int)reason : 0;
}
