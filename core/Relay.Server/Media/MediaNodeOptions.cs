namespace Relay.Server.Media;

/// <summary>The node's media port, the addresses it announces, and its DTLS certificate (<c>Relay:Media</c>).</summary>
internal sealed class MediaNodeOptions
{
    public const string SectionName = "Relay:Media";

    /// <summary>The UDP port every peer's ICE, DTLS and SRTP share; 0 takes any free port, which the answers then announce.</summary>
    public int Port { get; set; } = 40000;

    /// <summary>The local address the media socket binds: 0.0.0.0 (all IPv4), :: (dual stack) or one address.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// The addresses put in the answers' ICE candidates, most preferred first. Empty: the bind
    /// address, or when bound to all addresses, the machine's non-loopback IPv4 addresses and loopback.
    /// A node behind NAT lists its public address here.
    /// </summary>
    public string[] PublicAddresses { get; set; } = [];

    /// <summary>A PEM certificate for DTLS; with <see cref="PrivateKeyPath"/>. Unset: a fresh ECDSA P-256 one per start.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The password of an encrypted <see cref="PrivateKeyPath"/>.</summary>
    public string? PrivateKeyPassword { get; set; }

    /// <summary>
    /// Linux: receive with recvmmsg and send each packet's fan-out with one sendmmsg instead of one
    /// system call per datagram (bench/RESULTS.md, "Batched UDP"). False for the old path, to compare.
    /// </summary>
    public bool BatchedIo { get; set; } = true;

    /// <summary>
    /// Linux: the nice value (-20 to 19) of the media socket's receive thread, which decrypts and fans
    /// out every packet; unset leaves it at the process's. Under CPU contention it cut the thread's wait
    /// in the run queue to about a third (bench/RESULTS.md, "Kernel floor"). Below 0 needs CAP_SYS_NICE.
    /// </summary>
    public int? ReceiveThreadNice { get; set; }

    /// <summary>How often peers are polled (DTLS retransmission) and streams ticked (RTCP, keyframe requests).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a peer keeps ICE consent without a check (RFC 7675: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stream whose publisher vanished waits for it to reconnect before its viewers are ended.</summary>
    public TimeSpan PublisherGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Fault injection for end-to-end tests: the share (0 to 1) of first transmissions to viewers
    /// dropped before encryption. 0 in production.
    /// </summary>
    public double ViewerPacketLossForTesting { get; set; }

    /// <summary>
    /// Bytes a second the relay resends to one viewer at most in answer to its NACKs (a burst of one
    /// second's worth), so one viewer on a very lossy path cannot make the relay resend without bound.
    /// </summary>
    public long MaxRetransmissionBytesPerSecond { get; set; } = 250_000;

    /// <summary>RTP packets kept per video track to answer viewers' NACKs (1 to 32768); more covers longer round trips at more memory per stream.</summary>
    public int PacketCacheCapacity { get; set; } = 1024;

    /// <summary>Least time between two keyframe requests (PLI/FIR) to a publisher; viewers' requests in between are coalesced.</summary>
    public TimeSpan KeyframeRequestInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The most a publisher may send on video, in bits a second, told in its WHIP answer (b=AS, b=TIAS);
    /// 0: no cap (the phone's own congestion control decides).
    /// </summary>
    public long MaxPublisherVideoBitrate { get; set; }
}
