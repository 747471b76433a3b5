namespace Relay.Media.Streams;

/// <summary>
/// One stream's traffic, feedback and drops. Written under the stream's lock (one writer at a time,
/// no interlocked operations); any thread may read, and a reading may be a few packets behind.
/// </summary>
public sealed class MediaStreamCounters
{
    private static readonly int s_reasonCount = Enum.GetValues<MediaDropReason>().Length;

    private readonly long[] _drops = new long[s_reasonCount];

    internal long _rtpPacketsIn;
    internal long _rtpBytesIn;
    internal long _rtcpPacketsIn;
    internal long _rtpPacketsOut;
    internal long _rtpBytesOut;
    internal long _rtcpPacketsOut;
    internal long _nacksReceived;
    internal long _nackedPacketsReceived;
    internal long _retransmissionsSent;
    internal long _publisherRetransmissionsReceived;
    internal long _plisReceived;
    internal long _firsReceived;
    internal long _keyframeRequestsSent;
    internal long _nacksSent;
    internal long _receiverReportsSent;
    internal long _senderReportsSent;
    internal long _recordingTapErrors;

    /// <summary>Plain RTP packets from the publisher, retransmissions included.</summary>
    public long RtpPacketsIn => Volatile.Read(ref _rtpPacketsIn);

    /// <summary>Plain (decrypted) bytes of <see cref="RtpPacketsIn"/>.</summary>
    public long RtpBytesIn => Volatile.Read(ref _rtpBytesIn);

    /// <summary>RTCP compound packets from the publisher and the viewers.</summary>
    public long RtcpPacketsIn => Volatile.Read(ref _rtcpPacketsIn);

    /// <summary>RTP packets protected and sent to viewers, retransmissions included.</summary>
    public long RtpPacketsOut => Volatile.Read(ref _rtpPacketsOut);

    /// <summary>Plain bytes of <see cref="RtpPacketsOut"/> (before the SRTP tag).</summary>
    public long RtpBytesOut => Volatile.Read(ref _rtpBytesOut);

    /// <summary>RTCP compound packets sent to the publisher and the viewers.</summary>
    public long RtcpPacketsOut => Volatile.Read(ref _rtcpPacketsOut);

    /// <summary>Generic NACK messages received from viewers.</summary>
    public long NacksReceived => Volatile.Read(ref _nacksReceived);

    /// <summary>Sequence numbers those NACKs asked for.</summary>
    public long NackedPacketsReceived => Volatile.Read(ref _nackedPacketsReceived);

    /// <summary>Packets retransmitted to viewers (RTX or plain).</summary>
    public long RetransmissionsSent => Volatile.Read(ref _retransmissionsSent);

    /// <summary>RTX packets from the publisher that carried a packet (answers to the relay's NACKs).</summary>
    public long PublisherRetransmissionsReceived => Volatile.Read(ref _publisherRetransmissionsReceived);

    /// <summary>PLIs received from viewers.</summary>
    public long PlisReceived => Volatile.Read(ref _plisReceived);

    /// <summary>FIRs received from viewers.</summary>
    public long FirsReceived => Volatile.Read(ref _firsReceived);

    /// <summary>Keyframe requests (PLI) sent to the publisher, after coalescing.</summary>
    public long KeyframeRequestsSent => Volatile.Read(ref _keyframeRequestsSent);

    /// <summary>Generic NACK messages sent to the publisher.</summary>
    public long NacksSent => Volatile.Read(ref _nacksSent);

    /// <summary>Receiver reports sent to the publisher.</summary>
    public long ReceiverReportsSent => Volatile.Read(ref _receiverReportsSent);

    /// <summary>Sender reports sent to viewers.</summary>
    public long SenderReportsSent => Volatile.Read(ref _senderReportsSent);

    /// <summary>Exceptions the recording tap threw (each a bug in the recorder; forwarding went on).</summary>
    public long RecordingTapErrors => Volatile.Read(ref _recordingTapErrors);

    /// <summary>Packets dropped for <paramref name="reason"/>.</summary>
    public long GetDrops(MediaDropReason reason) => Volatile.Read(ref _drops[Index(reason)]);

    internal void CountDrop(MediaDropReason reason) => _drops[Index(reason)]++;

    private static int Index(MediaDropReason reason) => (uint)reason < (uint)s_reasonCount ? (int)reason : 0;
}
